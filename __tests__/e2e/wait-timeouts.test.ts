import { describe, expect, it } from '@jest/globals'
import { startFakeVela } from '../../fake-vela/index.js'
import { errorAnnotation, runAction } from '../../fake-runner/run-action.js'
import { deployAndWaitOn, PAT, SHA, useWaitingVela } from '../support/waiting.js'

// Waiting for a build that does not come or does not end: the action stops at wait-timeout and says why.
// The tests mostly wait on the clock, so each describe block runs its tests concurrently: each test uses
// its own repository (or its own server when it counts requests that name no repository), and nothing
// is reset between tests.

const { vela, repoWith } = useWaitingVela()

/** Deploys and waits; says how long the action went on after it said it was waiting. */
async function deployAndTimeTheWait(repo: string, inputs: Record<string, string>) {
  let waitingAt = 0
  const run = await deployAndWaitOn(vela, repo, inputs, {
    onStdout: (text) => {
      if (!waitingAt && text.includes('Waiting up to')) waitingAt = Date.now()
    },
  })
  expect(waitingAt).toBeGreaterThan(0)
  return { run, waitedMs: run.exitedAt - waitingAt }
}

describe('when no build comes', () => {
  it.concurrent('fails at wait-timeout with what Vela recorded of the webhook', async () => {
    const repo = repoWith({ webhook: 'skip-all-steps', webhookDelayMs: 100 })
    const { run, waitedMs } = await deployAndTimeTheWait(repo, { 'wait-timeout': '4s' })
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(/^Timed out after 4s: no build of deployment \d+ was seen/)
    expect(message).toContain('status skipped')
    expect(message).toContain('rulesets')
    // The wait, then the diagnosis's read of the webhook records, bounded at 5 s.
    expect(waitedMs).toBeLessThan(4_000 + 5_000)
    expect(run.outputs['build-status']).toBeUndefined()
  })
})

describe('timeouts hold', () => {
  it.concurrent('ends within wait-timeout when a poll hangs, reporting the last status seen', async () => {
    const repo = repoWith({ webhookDelayMs: 100, timeline: [{ status: 'running', afterMs: 0 }] })
    vela.injectFault(
      { method: 'GET', path: new RegExp(`/repos/octo-org/${repo}/builds/\\d+$`) },
      { kind: 'stall' },
      1_000,
    )
    const { run, waitedMs } = await deployAndTimeTheWait(repo, { 'wait-timeout': '5s' })
    expect(run.code).toBe(1)
    // Left to the request-timeout, the hanging poll alone would take 30 s.
    expect(waitedMs).toBeLessThan(5_000 + 4_000)
    expect(errorAnnotation(run)).toMatch(/^Timed out after 5s: build #\d+ was running/)
    expect(run.outputs['build-status']).toBe('running')
  })

  it.concurrent('ends within wait-timeout when renewing the token hangs mid-wait', async () => {
    // Its own server: token exchanges name no repository. Its tokens live 2s, so the wait has to renew.
    const own = await startFakeVela({ accessTokenTtlSeconds: 2 })
    try {
      own.addUser('octocat')
      own.addPat(PAT, 'octocat')
      own.addRepo('octo-org', 'renewing', { refs: { 'refs/heads/main': SHA } })
      own.setBuildPlan('octo-org', 'renewing', {
        webhookDelayMs: 100,
        timeline: [{ status: 'running', afterMs: 0 }],
      })
      let stalled = false
      let stalledAt = 0
      const run = await runAction(
        {
          server: own.url,
          token: PAT,
          repo: 'renewing',
          wait: 'true',
          'poll-interval': '1s',
          'wait-timeout': '6s',
          // Each exchange attempt alone could take this long, were it not bounded by the wait's deadline.
          'request-timeout': '30s',
        },
        {
          onStdout: (text) => {
            // The first exchange is done once the deployment exists; every later one hangs.
            if (!stalled && text.includes('Created Vela deployment')) {
              stalled = true
              stalledAt = Date.now()
              own.injectFault({ method: 'POST', path: /\/authenticate\/token$/ }, { kind: 'stall' }, 1_000)
            }
          },
        },
      )
      expect(stalled).toBe(true)
      expect(own.requests.filter((r) => r.path.endsWith('/authenticate/token')).length).toBeGreaterThan(1)
      expect(run.code).toBe(1)
      // From the first hanging renewal on, the rest of the wait is at most 6s; one exchange attempt left
      // to its request-timeout alone would take 30s.
      expect(Date.now() - stalledAt).toBeLessThan(6_000 + 12_000)
      const message = errorAnnotation(run) ?? ''
      // Whether the build was found before the stall depends on how fast the machine is; both are true reports.
      expect(message).toMatch(
        /^Timed out after 6s: (build #\d+ was running|no build of deployment \d+ was seen)/,
      )
      expect(message).toContain('Could not exchange the personal access token')
      expect(message).not.toMatch(/nothing was sent/)
      expect(run.outputs.number).toMatch(/^\d+$/)
    } finally {
      await own.close()
    }
  })
})
