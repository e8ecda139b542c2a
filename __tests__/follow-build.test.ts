import { describe, expect, it } from '@jest/globals'
import { AccessLostError, UnexpectedAnswerError } from '../src/shared/errors.js'
import { scriptedVela, type VelaCall, type VelaScript } from './support/scripted-vela.js'
import { VirtualClock } from './support/virtual-clock.js'
import { BadResponseError, CancelledError, NetworkError, VelaHttpError } from '../src/vela/errors.js'
import type { Build } from '../src/vela/schemas.js'
import { followBuild, type FollowDeps, type FollowTarget } from '../src/follow/follow-build.js'

// A virtual clock: sleeping advances time at once, so these tests never really wait.

const DEPLOYMENT_URL = 'https://api.github.com/repos/o/r/deployments/42'
/** Our build as servers before v0.23 send it: `source`, the deployment's URL, instead of deploy_number. */
const bySource = { deploy_number: undefined, source: DEPLOYMENT_URL }

const target: FollowTarget = {
  org: 'o',
  repo: 'r',
  number: 42,
  url: DEPLOYMENT_URL,
  commit: 'abc',
  createdAt: 1000,
  era: 'v0.26+',
}

/** Our build: pending, running after 5 s, successful after 60 s. */
const TIMELINE: VelaScript['timeline'] = [
  [0, 'pending'],
  [5_000, 'running'],
  [60_000, 'success'],
]

function setup(
  plan: VelaScript,
  overrides: Partial<{ interval: number; timeout: number; tokenExpiresAt: number }> = {},
) {
  const clock = new VirtualClock()
  const { api, calls } = scriptedVela(clock, { timeline: TIMELINE, ...plan })
  const logs: string[] = []
  const warnings: string[] = []
  const controller = new AbortController()
  const start = clock.time
  const options = {
    pollIntervalMs: overrides.interval ?? 10_000,
    deadline: start + (overrides.timeout ?? 30 * 60_000),
    requestTimeoutMs: 30_000,
    signal: controller.signal,
  }
  const seen: Build[] = []
  const deps: FollowDeps = {
    api,
    clock,
    log: { info: (m) => logs.push(m), warning: (m) => warnings.push(m) },
    tokenExpiresAt: () =>
      overrides.tokenExpiresAt === undefined ? undefined : new Date(overrides.tokenExpiresAt),
    onBuild: (build) => seen.push(build),
  }
  return { clock, calls, logs, warnings, controller, options, deps, start, seen }
}

describe('followBuild', () => {
  it('finds the linked build by deploy_number and follows it to success', async () => {
    const t = setup({})
    const result = await followBuild(target, t.options, t.deps)
    expect(result.kind).toBe('finished')
    expect(result.build?.status).toBe('success')
    expect(t.logs).toContain('Build #7: running')
  })

  it('makes one request per poll interval once the build is known', async () => {
    const t = setup({})
    await followBuild(target, t.options, t.deps)
    const followed = t.calls.filter((c) => c.what === 'getBuild')
    expect(followed.length).toBeGreaterThan(3)
    for (let i = 1; i < followed.length; i++) {
      expect((followed[i] as VelaCall).at - (followed[i - 1] as VelaCall).at).toBeGreaterThanOrEqual(10_000)
    }
    const firstFollow = t.calls.findIndex((c) => c.what === 'getBuild')
    expect(t.calls.slice(firstFollow).every((c) => c.what === 'getBuild')).toBe(true)
  })

  it('notices the end of the build within one poll interval', async () => {
    const t = setup(
      {
        buildAt: 3_000,
        timeline: [
          [0, 'running'],
          [47_000, 'failure'],
        ],
      },
      { interval: 10_000 },
    )
    await followBuild(target, t.options, t.deps)
    const endedAt = 1_000_000 + 3_000 + 47_000
    expect(t.clock.time - endedAt).toBeLessThanOrEqual(10_000)
    expect(t.clock.time).toBeGreaterThanOrEqual(endedAt)
  })

  it('reports a failed build as finished with its status', async () => {
    const t = setup({
      timeline: [
        [0, 'running'],
        [20_000, 'killed'],
      ],
    })
    const result = await followBuild(target, t.options, t.deps)
    expect(result).toMatchObject({ kind: 'finished', build: { status: 'killed' } })
  })

  it('lists builds on servers that do not link them, and picks ours among builds on the same commit', async () => {
    const others: Build[] = [
      { number: 9, status: 'success', deploy_number: 41 },
      { number: 8, status: 'failure', deploy_number: 43 },
    ]
    const t = setup({ linked: false, others })
    const result = await followBuild({ ...target, era: 'v0.23-v0.25' }, t.options, t.deps)
    expect(result).toMatchObject({ kind: 'finished', build: { number: 7, status: 'success' } })
    // v0.23–v0.25 look the number up as a database id: asking would only cost a GitHub request.
    expect(t.calls.some((c) => c.what === 'getDeployment')).toBe(false)
  })

  it('before v0.23, finds our build by source, the deployment URL, among builds of other deployments', async () => {
    const others: Build[] = [
      { number: 9, status: 'success', source: 'https://api.github.com/repos/o/r/deployments/43' },
      { number: 8, status: 'failure', source: 'https://api.github.com/repos/o/r/deployments/41' },
    ]
    const t = setup({ linked: false, others, build: bySource })
    const result = await followBuild({ ...target, era: 'v0.22' }, t.options, t.deps)
    expect(result).toMatchObject({ kind: 'finished', build: { number: 7, status: 'success' } })
    expect(t.calls.some((c) => c.what === 'getDeployment')).toBe(false)
  })

  it('takes no build by source when the deployment names no URL', async () => {
    const t = setup({ linked: false, build: bySource }, { timeout: 60_000 })
    const result = await followBuild({ ...target, era: 'v0.22', url: undefined }, t.options, t.deps)
    expect(result).toEqual({ kind: 'timed-out', build: undefined })
  })

  it('falls back to listing builds when the server links them late', async () => {
    const t = setup({ linked: false })
    const result = await followBuild(target, t.options, t.deps)
    expect(result.build?.number).toBe(7)
    expect(t.calls.some((c) => c.what === 'listBuilds')).toBe(true)
  })

  it('never takes a build of another deployment, however new', async () => {
    const t = setup(
      { build: { deploy_number: 99 }, others: [{ number: 50, status: 'success', deploy_number: 41 }] },
      { timeout: 60_000 },
    )
    const result = await followBuild(target, t.options, t.deps)
    expect(result).toEqual({ kind: 'timed-out', build: undefined })
  })

  it('times out at the deadline when no build comes, never later', async () => {
    const t = setup({ buildAt: Number.POSITIVE_INFINITY }, { timeout: 125_000 })
    const result = await followBuild(target, t.options, t.deps)
    expect(result.kind).toBe('timed-out')
    expect(t.clock.time).toBe(t.start + 125_000)
  })

  it('keeps the last status seen when timing out on a running build', async () => {
    const t = setup({ buildAt: 0, timeline: [[0, 'running']] }, { timeout: 60_000 })
    const result = await followBuild(target, t.options, t.deps)
    expect(result).toMatchObject({ kind: 'timed-out', build: { status: 'running' } })
  })

  it('bounds each request by the time left before the deadline', async () => {
    const t = setup({ buildAt: Number.POSITIVE_INFINITY }, { timeout: 45_000, interval: 20_000 })
    await followBuild(target, t.options, t.deps)
    for (const call of t.calls) {
      expect(call.timeoutMs).toBeLessThanOrEqual(t.start + 45_000 - call.at)
    }
    expect(t.calls.at(-1)?.timeoutMs).toBeLessThan(30_000)
  })

  it('rides out network errors and 5xx answers with backoff', async () => {
    let failures = 0
    const t = setup({
      fail: (call) => {
        if (call.what === 'getBuild' && failures < 3) {
          failures++
          return failures % 2
            ? new NetworkError('connection-reset', 'reset')
            : new VelaHttpError({ method: 'GET', path: '/b', status: 502, bodySummary: 'HTTP 502' })
        }
        return undefined
      },
    })
    const result = await followBuild(target, t.options, t.deps)
    expect(result.build?.status).toBe('success')
    expect(failures).toBe(3)
    expect(t.logs.filter((l) => l.startsWith('Vela read failed'))).toHaveLength(3)
  })

  const unauthorized = () =>
    new VelaHttpError({
      method: 'GET',
      path: '/b',
      status: 401,
      serverMessage: "user octocat does not have 'read' permissions for repo o/r",
    })

  it('stops on a 401 at once when no read with the token has succeeded', async () => {
    const t = setup({ fail: unauthorized })
    await expect(followBuild(target, t.options, t.deps)).rejects.toMatchObject({ status: 401 })
    expect(t.calls).toHaveLength(1)
  })

  it('rides out a few 401s after reads with the same token succeeded (GitHub failing behind Vela)', async () => {
    let refused = 0
    const t = setup({
      fail: (call) => (call.what === 'getBuild' && refused++ < 3 ? unauthorized() : undefined),
    })
    const result = await followBuild(target, t.options, t.deps)
    expect(result.build?.status).toBe('success')
    expect(t.logs.filter((l) => l.startsWith('Vela read failed') && l.includes('401'))).toHaveLength(3)
  })

  it('fails after a few 401s in a row, naming both causes', async () => {
    const t = setup({ fail: (call) => (call.what === 'getBuild' ? unauthorized() : undefined) })
    const error = await followBuild(target, t.options, t.deps).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(AccessLostError)
    expect((error as Error).message).toBe(
      "Vela refused to read o/r (401: user octocat does not have 'read' permissions for repo o/r) 5 times in a row while waiting, although earlier reads with the same unexpired token succeeded. Either GitHub failed behind Vela's permission check (Vela asks GitHub on every read of a private repository and answers 401 when GitHub fails), or access was really lost (the token revoked, or the user's access to the repository removed)",
    )
    expect(t.calls.filter((c) => c.what === 'getBuild')).toHaveLength(5)
    // With backoff: the five attempts span seconds, not one poll.
    const builds = t.calls.filter((c) => c.what === 'getBuild')
    expect((builds.at(-1)?.at ?? 0) - (builds[0]?.at ?? 0)).toBeGreaterThanOrEqual(7_500)
  })

  it('does not retry a 401 once the token has expired', async () => {
    const t = setup(
      { fail: (call) => (call.what === 'getBuild' ? unauthorized() : undefined) },
      { tokenExpiresAt: 1_000_000 + 16_000 },
    )
    await expect(followBuild(target, t.options, t.deps)).rejects.toBeInstanceOf(VelaHttpError)
    expect(t.calls.filter((c) => c.what === 'getBuild')).toHaveLength(1)
  })

  const surprise = () =>
    new BadResponseError(
      'malformed',
      'GET /api/v1/repos/o/r/builds/7 answered 200 with a body that is not JSON (HTTP 200, text/html, body starts "Sign in")',
      200,
    )

  it('retries an answer of unexpected shape a few times, then fails saying what was unexpected', async () => {
    const t = setup({ fail: (call) => (call.what === 'getBuild' ? surprise() : undefined) })
    const error = await followBuild(target, t.options, t.deps).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UnexpectedAnswerError)
    expect((error as Error).message).toBe(
      'Vela\'s answer was not what its API returns, 3 times in a row: GET /api/v1/repos/o/r/builds/7 answered 200 with a body that is not JSON (HTTP 200, text/html, body starts "Sign in"). Something in front of Vela (a single-sign-on page or a gateway) may be answering in its place; check the server input',
    )
    expect(t.calls.filter((c) => c.what === 'getBuild')).toHaveLength(3)
  })

  it('goes on after a surprise or two between good answers', async () => {
    let surprises = 0
    const t = setup({
      fail: (call) => (call.what === 'getBuild' && surprises++ % 3 < 2 ? surprise() : undefined),
    })
    const result = await followBuild(target, t.options, t.deps)
    expect(result.build?.status).toBe('success')
  })

  it('says once that a status is unknown, and keeps waiting', async () => {
    const t = setup({
      timeline: [
        [0, 'queued-somewhere'],
        [30_000, 'pending approval'],
        [60_000, 'success'],
      ],
    })
    const result = await followBuild(target, t.options, t.deps)
    expect(result.build?.status).toBe('success')
    expect(t.warnings.filter((w) => w.includes('queued-somewhere'))).toHaveLength(1)
    expect(t.logs.filter((l) => l.includes('needs approval'))).toHaveLength(1)
  })

  it('prints a status from the server as one line that cannot run a workflow command', async () => {
    const hostile = 'x\n::warning::##[error]forged'
    const t = setup({
      timeline: [
        [0, hostile],
        [6 * 60_000, hostile],
        [12 * 60_000, 'success'],
      ],
    })
    await followBuild(target, t.options, t.deps)
    const lines = [...t.logs, ...t.warnings].flatMap((l) => l.split('\n'))
    expect(lines.some((l) => l.includes('forged'))).toBe(true)
    for (const line of lines) {
      expect(line).not.toMatch(/^\s*::/)
      expect(line).not.toContain('##[')
    }
  })

  it('stops at once when cancelled, keeping what it knew', async () => {
    const t = setup({ buildAt: 0, timeline: [[0, 'running']] })
    const clock = {
      now: t.clock.now,
      sleep: (ms: number, signal?: AbortSignal) => {
        t.controller.abort()
        return t.clock.sleep(ms, signal)
      },
    }
    const pending = followBuild(target, t.options, { ...t.deps, clock })
    await expect(pending).rejects.toBeInstanceOf(CancelledError)
    expect(t.seen.at(-1)?.status).toBe('running')
  })

  it('times out while the server keeps failing, naming the last error', async () => {
    const t = setup(
      {
        fail: () =>
          new VelaHttpError({ method: 'GET', path: '/d', status: 503, serverMessage: 'maintenance' }),
      },
      { timeout: 90_000 },
    )
    const result = await followBuild(target, t.options, t.deps)
    expect(result).toMatchObject({ kind: 'timed-out', lastError: expect.stringContaining('maintenance') })
    expect(t.clock.time).toBeLessThanOrEqual(t.start + 90_000)
  })
})
