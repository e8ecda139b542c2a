import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type Fault, type FakeVela } from '../../fake-vela/index.js'
import { errorAnnotation, runAction, type ActionRun } from '../../fake-runner/run-action.js'
import { addFreshRepo, SHA } from '../support/waiting.js'

// Faults between the action and Vela, and what the action must do about each: never create a deployment
// twice, always end with a clear message, and never let server text act as a workflow command. A fault at
// each level (the deadline, the socket, a gateway's answer) runs here through the bundle; create-faults.test.ts
// has the whole table in-process.
// Each describe block runs its tests concurrently: every test has its own repository and faults, and
// counts only the requests for that repository.

let vela: FakeVela

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
})

afterAll(async () => {
  await vela.close()
})

const freshRepo = () => addFreshRepo(vela)

/**
 * A create with a 10s request-timeout: far above what a request takes even on a loaded machine, so only
 * the faults that are about the deadline (which pass a short one) can run into it.
 */
function createWith(repo: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    server: vela.url,
    token: vela.mintToken('octocat'),
    repo,
    'request-timeout': '10s',
    wait: 'false',
    ...inputs,
  })
}

const createRoute = (repo: string) => ({ method: 'POST', path: new RegExp(`/deployments/octo-org/${repo}$`) })

/** Lines the runner would take as workflow commands that the action did not write itself. */
function foreignCommands(run: ActionRun): string[] {
  const ours = /^::(add-mask|error|warning|debug|group|endgroup|stop-commands|[0-9a-f-]{36})::/
  return run.stdout
    .split('\n')
    .filter((line) => (/^\s*::/.test(line) && !ours.test(line)) || line.includes('##['))
}

describe('a create is never sent twice', () => {
  it.concurrent.each<[string, Fault, { deployments: number; exit: number; says: RegExp }]>([
    [
      'stalled before headers',
      { kind: 'stall' },
      {
        deployments: 0,
        exit: 1,
        says: /may or may not have reached Vela .*got no complete answer within 2s/,
      },
    ],
    [
      'connection reset after the body was read',
      { kind: 'reset-after-handling' },
      { deployments: 1, exit: 0, says: /answer was lost .* Vela holds deployment \d+ matching it/ },
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
        exit: 0,
        says: /answer was lost \(HTTP 504, text\/html, body starts "Gateway Timeout"\)/,
      },
    ],
  ])('%s', async (_name, fault, expected) => {
    const repo = freshRepo()
    vela.injectFault(createRoute(repo), fault)
    // A stall holds the answer back until the request deadline passes: it runs with a 2s one.
    const run = await createWith(repo, fault.kind === 'stall' ? { 'request-timeout': '2s' } : {})
    const posts = vela.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/octo-org/${repo}`))
    expect(posts).toHaveLength(1)
    expect(vela.deploymentsOf('octo-org', repo)).toHaveLength(expected.deployments)
    expect(run.code).toBe(expected.exit)
    expect(run.stdout).toMatch(expected.says)
    if (expected.exit === 0)
      expect(run.outputs.number).toBe(String(vela.deploymentsOf('octo-org', repo)[0]?.number))
  })

  it.concurrent('waits out a 429 with Retry-After and sends it once more', async () => {
    const repo = freshRepo()
    vela.injectFault(createRoute(repo), {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '1' },
      body: '{"error":"try again shortly"}',
    })
    const run = await createWith(repo)
    expect(run.code).toBe(0)
    expect(
      vela.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/octo-org/${repo}`)),
    ).toHaveLength(2)
    expect(vela.deploymentsOf('octo-org', repo)).toHaveLength(1)
    expect(run.stdout).toContain('sending it again in 1s')
  })
})

describe('redirects are not followed', () => {
  it.concurrent('names where the redirect pointed and sends the token nowhere else', async () => {
    const elsewhere = await startFakeVela()
    try {
      const repo = freshRepo()
      vela.injectFault(createRoute(repo), {
        kind: 'redirect',
        status: 307,
        location: `${elsewhere.url}/api/v1/deployments/octo-org/${repo}`,
      })
      const run = await createWith(repo)
      expect(run.code).toBe(1)
      expect(errorAnnotation(run)).toContain(`redirecting to ${elsewhere.url}/api/v1/deployments`)
      expect(elsewhere.requests).toHaveLength(0)
      expect(vela.deploymentsOf('octo-org', repo)).toHaveLength(0)
    } finally {
      await elsewhere.close()
    }
  })
})

describe('server text never runs as a workflow command', () => {
  const hostile = '::add-mask::x ##[set-output name=number;]666\n::error::forged\n##[warning]forged'

  it.concurrent('in error messages', async () => {
    const repo = freshRepo()
    vela.injectFault(createRoute(repo), {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: hostile }),
    })
    const run = await createWith(repo)
    expect(run.code).toBe(1)
    expect(foreignCommands(run)).toEqual([])
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1)
  })

  it.concurrent('in fields the server echoes back', async () => {
    const repo = freshRepo()
    const body = JSON.stringify({
      id: 1,
      number: 5,
      commit: `${SHA}\n::error::forged commit`,
      ref: '##[set-output name=ref;]forged',
      target: '::warning::forged target',
      task: 'deploy:vela',
    })
    vela.injectFault(createRoute(repo), { kind: 'status', status: 201, body })
    const run = await createWith(repo)
    expect(run.code).toBe(0)
    expect(foreignCommands(run)).toEqual([])
  })

  it.concurrent('in build logs, step names, build errors and webhook errors', async () => {
    const repo = freshRepo()
    vela.setBuildPlan('octo-org', repo, {
      webhookDelayMs: 100,
      timeline: [
        { status: 'running', afterMs: 0 },
        { status: 'failure', afterMs: 300 },
      ],
      steps: [
        { name: '::error::step', status: 'failure', exitCode: 1, log: `${hostile}\n  ::notice::indented\n` },
      ],
    })
    const run = await createWith(repo, { wait: 'true', 'poll-interval': '1s', 'wait-timeout': '20s' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('forged')
    expect(foreignCommands(run)).toEqual([])
  })

  it.concurrent('in redirect locations', async () => {
    const repo = freshRepo()
    vela.injectFault(createRoute(repo), { kind: 'redirect', location: 'https://x.test/##[error]forged' })
    const run = await createWith(repo)
    expect(foreignCommands(run)).toEqual([])
  })
})
