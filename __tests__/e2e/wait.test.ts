import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type BuildPlan, type FakeVela } from '../../fake-vela/index.js'
import { errorAnnotation, runAction, type ActionRun } from '../../fake-runner/run-action.js'

// Waiting for the build, end to end: the bundle against a Vela whose webhook, builds and logs play out in time.

const PAT = 'ghp_e2eWaitPersonalAccessToken00000000000'
const SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'
let vela: FakeVela
let repoCount = 0

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
  vela.addPat(PAT, 'octocat')
})

afterAll(async () => {
  await vela.close()
})

/** A fresh repository with its own build plan, so tests cannot see each other's builds. */
function repoWith(plan: BuildPlan, options: Parameters<FakeVela['addRepo']>[2] = {}): string {
  const name = `app-${++repoCount}`
  vela.addRepo('octo-org', name, { refs: { 'refs/heads/main': SHA }, ...options })
  vela.setBuildPlan('octo-org', name, plan)
  return name
}

function deployAndWait(repo: string, inputs: Record<string, string> = {}, server = vela): Promise<ActionRun> {
  return runAction({
    server: server.url,
    token: server.mintToken('octocat'),
    repo,
    wait: 'true',
    'poll-interval': '1s',
    'wait-timeout': '20s',
    ...inputs,
  })
}

const quick = (final: string): BuildPlan => ({
  webhookDelayMs: 300,
  timeline: [
    { status: 'pending', afterMs: 0 },
    { status: 'running', afterMs: 200 },
    { status: final, afterMs: 1_200 },
  ],
})

describe('waiting for the build', () => {
  it('finds the build the deployment triggered and passes when it succeeds', async () => {
    const repo = repoWith(quick('success'))
    const run = await deployAndWait(repo)
    expect(run.code).toBe(0)
    const [build] = vela.buildsOf('octo-org', repo)
    expect(run.outputs).toMatchObject({
      number: String(vela.deploymentsOf('octo-org', repo)[0]?.number),
      'build-number': String(build?.number),
      'build-status': 'success',
      'build-url': `https://vela-ui.test/octo-org/${repo}/${build?.number}`,
    })
    expect(run.summary).toContain('Build status')
    expect(run.summary).toContain(`https://vela-ui.test/octo-org/${repo}/${build?.number}`)
  })

  it('sets the deployment outputs even when the build fails', async () => {
    const repo = repoWith({
      ...quick('failure'),
      steps: [
        { name: 'clone', status: 'success', log: 'cloned\n' },
        {
          name: 'deploy',
          status: 'failure',
          exitCode: 3,
          log: `${Array.from({ length: 80 }, (_, i) => `line ${i + 1}`).join('\n')}\n::error::injected by the build\n##[set-output name=build-status;]success\nError: rollout failed\n`,
        },
      ],
    })
    const run = await deployAndWait(repo)
    expect(run.code).toBe(1)
    expect(run.outputs.number).toBe(String(vela.deploymentsOf('octo-org', repo)[0]?.number))
    expect(run.outputs['build-status']).toBe('failure')
    expect(errorAnnotation(run)).toMatch(/^Build #\d+ ended with status failure: https:\/\/vela-ui\.test\//)
    // The failed step's log tail, in a collapsed group, unable to run workflow commands.
    expect(run.stdout).toMatch(/::group::Step "deploy" ended in failure, exit code 3/)
    expect(run.stdout).toContain('Error: rollout failed')
    expect(run.stdout).toContain('line 80')
    expect(run.stdout).not.toContain('line 20\n')
    const lines = run.stdout.split('\n')
    expect(lines.some((l) => l.startsWith('::error::injected'))).toBe(false)
    expect(lines.some((l) => l.includes('##[set-output'))).toBe(false)
    expect(run.stdout).not.toContain('cloned')
  })

  it.each(['error', 'canceled', 'killed'])('fails the step when the build ends %s', async (status) => {
    const run = await deployAndWait(repoWith(quick(status)))
    expect(run.code).toBe(1)
    expect(run.outputs['build-status']).toBe(status)
  })

  it('keeps waiting through a long webhook delay', async () => {
    const repo = repoWith({ ...quick('success'), webhookDelayMs: 3_500 })
    const run = await deployAndWait(repo)
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('success')
  })

  it('picks our build among several deployment builds on the same commit', async () => {
    const repo = repoWith({ ...quick('success'), extraBuildsOnCommit: 3, linkToDeployment: false })
    const run = await deployAndWait(repo)
    expect(run.code).toBe(0)
    const number = Number(run.outputs.number)
    const ours = vela.buildsOf('octo-org', repo).find((b) => b.deploy_number === number)
    expect(run.outputs['build-number']).toBe(String(ours?.number))
    expect(vela.buildsOf('octo-org', repo).length).toBeGreaterThan(1)
  })

  it('works with servers before v0.23, which never link builds', async () => {
    const old = await startFakeVela({ version: 'pre-v0.23', webUiAddr: null })
    try {
      old.addUser('octocat')
      old.addRepo('octo-org', 'legacy', { refs: { 'refs/heads/main': SHA } })
      old.setBuildPlan('octo-org', 'legacy', { ...quick('success'), extraBuildsOnCommit: 2 })
      const run = await deployAndWait('legacy', { 'ui-url': 'https://old-vela-ui.test' }, old)
      expect(run.code).toBe(0)
      const ours = old
        .buildsOf('octo-org', 'legacy')
        .find((b) => b.deploy_number === Number(run.outputs.number))
      expect(run.outputs['build-number']).toBe(String(ours?.number))
      expect(run.outputs['build-url']).toBe(`https://old-vela-ui.test/octo-org/legacy/${ours?.number}`)
    } finally {
      await old.close()
    }
  })
})

describe('when no build comes', () => {
  it('fails at wait-timeout with what Vela recorded of the webhook', async () => {
    const repo = repoWith({ webhook: 'skip-all-steps', webhookDelayMs: 100 })
    const run = await deployAndWait(repo, { 'wait-timeout': '4s' })
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(/^Timed out after 4s: Vela created no build for deployment \d+/)
    expect(message).toContain('status skipped')
    expect(message).toContain('rulesets')
    expect(run.elapsedMs).toBeLessThan(4_000 + 5_000)
    expect(run.outputs['build-status']).toBeUndefined()
  })

  it('warns at once when the repository has deployment events disabled', async () => {
    const repo = repoWith({ webhookDelayMs: 100 }, { allowDeploymentCreated: false })
    const run = await deployAndWait(repo, { 'wait-timeout': '3s' })
    expect(run.code).toBe(1)
    const warning = run.stdout.split('\n').find((l) => l.startsWith('::warning::'))
    expect(warning).toContain('deployment event disabled')
    expect(run.stdout.indexOf(warning ?? '')).toBeLessThan(run.stdout.indexOf('Waiting up to'))
    expect(errorAnnotation(run)).toContain('deployment event disabled')
  })

  it('says when Vela has recorded no webhook at all', async () => {
    const repo = repoWith({ webhook: 'never' })
    const run = await deployAndWait(repo, { 'wait-timeout': '2s' })
    expect(errorAnnotation(run)).toContain('no deployment webhook')
  })
})

describe('timeouts hold', () => {
  it('ends within wait-timeout when a poll hangs, reporting the last status seen', async () => {
    const repo = repoWith({ webhookDelayMs: 100, timeline: [{ status: 'running', afterMs: 0 }] })
    vela.injectFault(
      { method: 'GET', path: new RegExp(`/repos/octo-org/${repo}/builds/\\d+$`) },
      { kind: 'stall' },
      1_000,
    )
    const run = await deployAndWait(repo, { 'wait-timeout': '5s' })
    expect(run.code).toBe(1)
    expect(run.elapsedMs).toBeLessThan(5_000 + 4_000)
    expect(errorAnnotation(run)).toMatch(/^Timed out after 5s: build #\d+ was running/)
    expect(run.outputs['build-status']).toBe('running')
  })
})

describe('transient trouble is ridden out', () => {
  it('retries 5xx, 429 and dropped connections while polling', async () => {
    const repo = repoWith(quick('success'))
    const build = new RegExp(`/repos/octo-org/${repo}/builds/\\d+$`)
    vela.injectFault(
      { method: 'GET', path: build },
      { kind: 'status', status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' },
    )
    vela.injectFault(
      { method: 'GET', path: build },
      { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: '{"error":"slow down"}' },
    )
    vela.injectFault({ method: 'GET', path: build }, { kind: 'reset-after-handling' })
    const run = await deployAndWait(repo)
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('success')
    expect(run.stdout).toContain('Vela read failed')
  })

  it('exchanges a personal access token again when the Vela token expires mid-wait', async () => {
    const short = await startFakeVela({ accessTokenTtlSeconds: 2 })
    try {
      short.addUser('octocat')
      short.addPat(PAT, 'octocat')
      short.addRepo('octo-org', 'slow', { refs: { 'refs/heads/main': SHA } })
      short.setBuildPlan('octo-org', 'slow', {
        webhookDelayMs: 200,
        timeline: [
          { status: 'running', afterMs: 0 },
          { status: 'success', afterMs: 5_000 },
        ],
      })
      const run = await runAction({
        server: short.url,
        token: PAT,
        repo: 'slow',
        wait: 'true',
        'poll-interval': '1s',
        'wait-timeout': '30s',
      })
      expect(run.code).toBe(0)
      const exchanges = short.requests.filter((r) => r.path.endsWith('/authenticate/token'))
      expect(exchanges.length).toBeGreaterThan(1)
      const unauthorized = short.requests.filter((r) => r.status === 401)
      expect(unauthorized.length).toBeLessThanOrEqual(1)
    } finally {
      await short.close()
    }
  })

  it('exchanges the personal access token again after a 401 mid-wait, and goes on', async () => {
    const repo = repoWith(quick('success'))
    vela.injectFault(
      { method: 'GET', path: new RegExp(`/repos/octo-org/${repo}/builds/\\d+$`) },
      {
        kind: 'status',
        status: 401,
        body: '{"error":"failed parsing: token has invalid claims: token is expired"}',
      },
    )
    const before = vela.requests.length
    const run = await deployAndWait(repo, { token: PAT })
    expect(run.code).toBe(0)
    const requests = vela.requests.slice(before)
    const exchanges = requests.filter((r) => r.path.endsWith('/authenticate/token'))
    expect(exchanges).toHaveLength(2)
    const rejected = requests.findIndex((r) => r.status === 401)
    expect(requests[rejected + 1]?.path).toMatch(/\/authenticate\/token$/)
  })

  it('fails clearly when a bare Vela token expires mid-wait', async () => {
    const repo = repoWith({ webhookDelayMs: 100, timeline: [{ status: 'running', afterMs: 0 }] })
    const run = await runAction({
      server: vela.url,
      token: vela.mintToken('octocat', { ttlSeconds: 3 }),
      repo,
      wait: 'true',
      'poll-interval': '1s',
      'wait-timeout': '30s',
    })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toMatch(
      /the Vela access token expired at .*pass a GitHub personal access token/,
    )
    expect(run.elapsedMs).toBeLessThan(15_000)
  })
})

describe('cancellation', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops promptly on %s and says where the build stands',
    async (signal) => {
      const repo = repoWith({ webhookDelayMs: 100, timeline: [{ status: 'running', afterMs: 0 }] })
      let sentAt = 0
      const run = await runAction(
        {
          server: vela.url,
          token: vela.mintToken('octocat'),
          repo,
          wait: 'true',
          'poll-interval': '1s',
          'wait-timeout': '60s',
        },
        {
          onSpawn: (child) => {
            child.stdout?.on('data', (chunk: Buffer) => {
              if (!sentAt && chunk.toString().includes(': running')) {
                sentAt = Date.now()
                child.kill(signal)
              }
            })
          },
        },
      )
      const stoppedAfter = Date.now() - sentAt
      expect(sentAt).toBeGreaterThan(0)
      expect(stoppedAfter).toBeLessThan(2_000)
      expect(run.code).toBe(1)
      expect(errorAnnotation(run)).toMatch(
        /^Cancelled while waiting: build #\d+ was running \(https:\/\/vela-ui\.test\//,
      )
      expect(run.outputs['build-status']).toBe('running')
    },
  )
})
