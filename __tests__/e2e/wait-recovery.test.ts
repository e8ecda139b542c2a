import { describe, expect, it } from '@jest/globals'
import { startFakeVela, type BuildPlan } from '../../fake-vela/index.js'
import { errorAnnotation, runAction } from '../../fake-runner/run-action.js'
import { PAT, SHA, useWaitingVela } from '../support/waiting.js'

// Waiting through trouble: failed polls, rate limits, dropped connections and expiring tokens.
// The tests mostly wait on the clock, so each describe block runs its tests concurrently: each test uses
// its own repository (or its own server when it counts requests that name no repository), and nothing
// is reset between tests.

const { vela, repoWith, deployAndWait } = useWaitingVela()

/**
 * A build that runs for 4 s: the action reads the build itself (…/builds/N, where these tests put their
 * faults) only once it has seen it unfinished, which a poll that comes late could otherwise miss.
 */
const lasting: BuildPlan = {
  webhookDelayMs: 300,
  timeline: [
    { status: 'pending', afterMs: 0 },
    { status: 'running', afterMs: 200 },
    { status: 'success', afterMs: 4_000 },
  ],
}

describe('transient trouble is ridden out', () => {
  it.concurrent('retries 5xx, 429 and dropped connections while polling', async () => {
    const repo = repoWith(lasting)
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

  it.concurrent('exchanges a personal access token again when the Vela token expires mid-wait', async () => {
    // Tokens live 4s by Vela's whole-second claims, so the action renews once, 3s in, while the build runs.
    // Vela truncates the issue time to the second, so the token may expire up to a second before the claims
    // say: a renewal can meet one 401, which the action answers by exchanging again. Shorter lives would
    // renew several times and could meet several.
    const short = await startFakeVela({ accessTokenTtlSeconds: 4 })
    try {
      short.addUser('octocat')
      short.addPat(PAT, 'octocat')
      short.addRepo('octo-org', 'slow', { refs: { 'refs/heads/main': SHA } })
      short.setBuildPlan('octo-org', 'slow', {
        webhookDelayMs: 200,
        timeline: [
          { status: 'running', afterMs: 0 },
          { status: 'success', afterMs: 4_500 },
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

  it.concurrent('exchanges the personal access token again after a 401 mid-wait, and goes on', async () => {
    // Its own server: token exchanges name no repository, and the order of requests must be ours alone.
    const own = await startFakeVela({ webUiAddr: 'https://vela-ui.test' })
    try {
      own.addUser('octocat')
      own.addPat(PAT, 'octocat')
      own.addRepo('octo-org', 'relogin', { refs: { 'refs/heads/main': SHA } })
      own.setBuildPlan('octo-org', 'relogin', lasting)
      own.injectFault(
        { method: 'GET', path: /\/repos\/octo-org\/relogin\/builds\/\d+$/ },
        {
          kind: 'status',
          status: 401,
          body: '{"error":"failed parsing: token has invalid claims: token is expired"}',
        },
      )
      const run = await deployAndWait('relogin', { token: PAT }, own)
      expect(run.code).toBe(0)
      const requests = own.requests
      const exchanges = requests.filter((r) => r.path.endsWith('/authenticate/token'))
      expect(exchanges).toHaveLength(2)
      const rejected = requests.findIndex((r) => r.status === 401)
      expect(requests[rejected + 1]?.path).toMatch(/\/authenticate\/token$/)
    } finally {
      await own.close()
    }
  })

  it.concurrent('fails clearly when a bare Vela token expires mid-wait', async () => {
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
