import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type Fault, type FakeVela } from '../fake-vela/index.js'
import { closedPort } from './support/network.js'
import { inProcessAction } from './support/in-process-action.js'

// Faults between the action and Vela during the create, run() in-process against the fake over real sockets:
// the create is never sent twice, and the run always ends with a clear message. e2e/faults.test.ts runs the
// faults at the socket level through the bundle; deploy.test.ts has the create's decisions against a fake API.

const action = await inProcessAction()
const { core } = action

const ORG = 'octo-org'
let vela: FakeVela
let repoCount = 0

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test', now: action.clock.now })
  vela.addUser('octocat')
})

afterAll(async () => {
  await vela.close()
})

function freshRepo(): string {
  const name = `svc-${++repoCount}`
  vela.addRepo(ORG, name)
  return name
}

const createRoute = (repo: string) => ({ method: 'POST', path: new RegExp(`/deployments/${ORG}/${repo}$`) })
const creates = (repo: string) =>
  vela.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${ORG}/${repo}`))

/** A create with a 10s request-timeout unless `inputs` say otherwise. */
function createIn(repo: string, inputs: Record<string, string> = {}) {
  return action.run(vela, {
    server: vela.url,
    token: vela.mintToken('octocat'),
    org: ORG,
    repo,
    'request-timeout': '10s',
    wait: 'false',
    ...inputs,
  })
}

describe('a create is never sent twice', () => {
  it.each<[string, Fault, { deployments: number; fails: boolean; says: RegExp }]>([
    [
      'stalled before headers',
      { kind: 'stall' },
      {
        deployments: 0,
        fails: true,
        says: /may or may not have reached Vela .*got no complete answer within 1s/,
      },
    ],
    [
      'trickled body after creating',
      { kind: 'trickle', intervalMs: 200 },
      { deployments: 1, fails: false, says: /answer was lost .* Vela holds deployment \d+ matching it/ },
    ],
    [
      'connection reset after the body was read',
      { kind: 'reset-after-handling' },
      { deployments: 1, fails: false, says: /answer was lost .* Vela holds deployment \d+ matching it/ },
    ],
    [
      '502 HTML page from a gateway',
      {
        kind: 'status',
        status: 502,
        contentType: 'text/html',
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      },
      {
        deployments: 0,
        fails: true,
        says: /may or may not have reached Vela \(HTTP 502, text\/html, body starts "502 Bad Gateway"\)/,
      },
    ],
    [
      '504 after the backend created the deployment',
      {
        kind: 'status',
        status: 504,
        contentType: 'text/html',
        body: '<h1>Gateway Timeout</h1>',
        afterHandling: true,
      },
      {
        deployments: 1,
        fails: false,
        says: /answer was lost \(HTTP 504, text\/html, body starts "Gateway Timeout"\)/,
      },
    ],
    [
      '500 from Vela',
      {
        kind: 'status',
        status: 500,
        body: '{"error":"unable to create new deployment for octo-org/x: database is locked"}',
      },
      { deployments: 0, fails: true, says: /500: unable to create new deployment .* database is locked/ },
    ],
    [
      'truncated JSON after creating',
      { kind: 'truncated-json' },
      { deployments: 1, fails: false, says: /answer was lost .*not JSON/ },
    ],
    [
      'oversized body',
      { kind: 'oversized', bytes: 6 * 1024 * 1024 },
      { deployments: 0, fails: true, says: /more than 4 MiB/ },
    ],
  ])('%s', async (_name, fault, expected) => {
    const repo = freshRepo()
    vela.injectFault(createRoute(repo), fault)
    // The faults that hold the answer back until the request deadline passes run with the shortest one.
    const deadline = fault.kind === 'stall' || fault.kind === 'trickle' ? '1s' : '10s'
    await createIn(repo, { 'request-timeout': deadline })

    expect(creates(repo)).toHaveLength(1)
    expect(vela.deploymentsOf(ORG, repo)).toHaveLength(expected.deployments)
    expect(core.setFailed).toHaveBeenCalledTimes(expected.fails ? 1 : 0)
    expect(action.printed()).toMatch(expected.says)
    if (!expected.fails) expect(core.outputs().number).toBe(String(vela.deploymentsOf(ORG, repo)[0]?.number))
  })

  it.each([429, 503])('waits out a %d with Retry-After and sends it once more', async (status) => {
    const repo = freshRepo()
    vela.injectFault(createRoute(repo), {
      kind: 'status',
      status,
      headers: { 'retry-after': '1' },
      body: '{"error":"try again shortly"}',
    })
    await createIn(repo)

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(creates(repo)).toHaveLength(2)
    expect(vela.deploymentsOf(ORG, repo)).toHaveLength(1)
    expect(action.printed()).toContain('sending it again in 1s')
  })

  it('does not retry a 503 without Retry-After', async () => {
    const repo = freshRepo()
    vela.injectFault(createRoute(repo), { kind: 'status', status: 503, body: '{"error":"unavailable"}' })
    await createIn(repo)

    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(creates(repo)).toHaveLength(1)
  })

  it('retries a refused connection, which never reached the server, and then says so', async () => {
    const port = await closedPort()
    await action.run(vela, {
      server: `http://127.0.0.1:${port}`,
      token: vela.mintToken('octocat'),
      org: ORG,
      repo: 'x',
    })

    expect(action.printed().match(/sending it again/g)).toHaveLength(2)
    const message = action.failure()
    expect(message).toMatch(
      /^Could not talk to Vela at http:\/\/127\.0\.0\.1:\d+: cannot reach .* connection refused/,
    )
    // It never reached Vela: no "may or may not", and no looking for a deployment.
    expect(message).not.toMatch(/may or may not/)
    expect(action.printed()).not.toContain('looking for the deployment')
  })
})
