import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type FakeVela } from '../../fake-vela/index.js'
import { renderAsGitHub } from '../../fake-runner/github-markdown.js'
import { logText, readRunnerLog } from '../../fake-runner/runner-view.js'
import { errorAnnotation, runAction, type ActionRun } from '../../fake-runner/run-action.js'

// The committed bundle, run as the runner runs it, against a local Vela that behaves like the real one: each
// run here proves a path through the bundle; the many cases of each path are tested in-process.

const PAT = 'ghp_e2ePersonalAccessToken000000000000000'
const TAG_SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'
let vela: FakeVela
let token: string

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
  vela.addPat(PAT, 'octocat')
  vela.addRepo('octo-org', 'web-app', {
    refs: { 'refs/heads/main': TAG_SHA, 'refs/tags/v1.2.3': TAG_SHA },
  })
  token = vela.mintToken('octocat')
})

afterAll(async () => {
  await vela.close()
})

function deploy(inputs: Record<string, string>, env?: Record<string, string>): Promise<ActionRun> {
  return runAction({ server: vela.url, token, wait: 'false', ...inputs }, { env })
}

function requestsDuring<T>(action: () => Promise<T>): Promise<{ result: T; requests: typeof vela.requests }> {
  const before = vela.requests.length
  return action().then((result) => ({ result, requests: vela.requests.slice(before) }))
}

/** Everything a user could read: log, outputs, summary. */
function everythingPrinted(run: ActionRun): string {
  const log = (run.stdout + run.stderr)
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  return [log, JSON.stringify(run.outputs), run.summary].join('\n')
}

function expectNoStackTrace(run: ActionRun): void {
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
}

// One create, read the ways a user reads it: the outputs, the request Vela got, the job summary.
describe('creating a deployment', () => {
  const payload = [
    'region: us-west-1',
    'version: 1.10',
    'build: 007',
    'canary: true',
    'empty:',
    'note: "<script>alert(1)</script>"',
    'notes: |',
    '  line one',
    '  line two',
  ].join('\n')
  let run: ActionRun
  let requests: typeof vela.requests

  beforeAll(async () => {
    ;({ result: run, requests } = await requestsDuring(() => deploy({ payload })))
  })

  it('creates it with a Vela token and sets every output', () => {
    expect(run.code).toBe(0)
    const [stored] = vela.deploymentsOf('octo-org', 'web-app').slice(-1)
    expect(stored).toBeDefined()
    expect(run.outputs).toMatchObject({
      id: String(stored?.id),
      number: String(stored?.number),
      commit: TAG_SHA,
      ref: 'refs/tags/v1.2.3',
      target: 'production',
      task: 'deploy:vela',
      url: stored?.url,
    })
    expect(JSON.parse(run.outputs.deployment ?? '')).toMatchObject({ number: stored?.number })
    const create = requests.find((r) => r.method === 'POST')
    expect(create?.headers.authorization).toBe(`Bearer ${token}`)
    expect(create?.headers['content-type']).toBe('application/json')
    expect(requests).toHaveLength(1)
  })

  it('sends every payload value as the string written', () => {
    expect(JSON.parse(run.outputs.deployment ?? '{}')).toMatchObject({
      payload: {
        region: 'us-west-1',
        version: '1.10',
        build: '007',
        canary: 'true',
        empty: '',
        note: '<script>alert(1)</script>',
        notes: 'line one\nline two\n',
      },
    })
  })

  it('names the workflow and links the run in the description, and deploys the triggering ref', () => {
    const deployment = JSON.parse(run.outputs.deployment ?? '{}') as { description: string; ref: string }
    expect(deployment.description).toContain('https://github.com/octo-org/web-app/actions/runs/4242')
    expect(deployment.description).toContain('Release')
    expect(deployment.ref).toBe('refs/tags/v1.2.3')
  })

  it('writes a job summary that leads with the result, links GitHub pages and no API address, escaped', () => {
    const page = renderAsGitHub(run.summary)
    expect(page).toMatch(
      /^<h2>✅ Started deploy of octo-org\/web-app <code>v1.2.3<\/code> to production<\/h2>/,
    )
    expect(page).toContain(
      `<a href="https://github.com/octo-org/web-app/commit/${TAG_SHA}">${TAG_SHA.slice(0, 7)}</a>`,
    )
    expect(page).toContain('<a href="https://github.com/octo-org/web-app/tree/v1.2.3">v1.2.3</a>')
    expect(page).toContain('<details><summary>Parameters (7)</summary>')
    expect(page).toContain('&lt;script&gt;')
    expect(page).not.toContain('<script>')
    expect(page).not.toContain('api.github.com')
    // Every block stays the HTML it was written as: GitHub adds no paragraph of its own.
    expect(page.match(/<p>/g)).toHaveLength(1)
  })
})

describe('creating with a personal access token', () => {
  let run: ActionRun
  let requests: typeof vela.requests

  beforeAll(async () => {
    ;({ result: run, requests } = await requestsDuring(() => deploy({ token: PAT })))
  })

  it('exchanges it, masking the Vela token it gets', () => {
    expect(run.code).toBe(0)
    const exchange = requests.find((r) => r.path.endsWith('/authenticate/token'))
    expect(exchange?.headers.token).toBe(PAT)
    expect(exchange?.headers.authorization).toBeUndefined()
    const create = requests.find((r) => r.method === 'POST' && r.path.includes('/deployments/'))
    const velaToken = create?.headers.authorization?.replace(/^Bearer /, '') ?? ''
    expect(velaToken.split('.')).toHaveLength(3)
    expect(run.stdout).toContain(`::add-mask::${velaToken}`)
    expect(run.stdout.indexOf(`::add-mask::${PAT}`)).toBe(0)
    expect(everythingPrinted(run)).not.toContain(velaToken)
    expect(everythingPrinted(run)).not.toContain(PAT)
  })

  it('reads in the log viewer without a workflow command or a token', () => {
    const shown = logText(readRunnerLog(run.stdout), { debug: true, expand: true })
    expect(shown.filter((line) => /^\s*::/.test(line))).toEqual([])
    expect(shown.join('\n')).not.toContain(PAT)
    expect(shown.some((line) => line.startsWith('Created Vela deployment'))).toBe(true)
  })
})

describe('dry run', () => {
  it('prints the request and sends nothing, not even a token exchange', async () => {
    const { result: run, requests } = await requestsDuring(() =>
      deploy({ token: PAT, 'dry-run': 'true', payload: 'region: us-west-1' }),
    )
    expect(run.code).toBe(0)
    expect(requests).toHaveLength(0)
    expect(run.stdout).toContain(`POST ${vela.url}/api/v1/deployments/octo-org/web-app`)
    expect(run.stdout).toContain('"region": "us-west-1"')
    expect(everythingPrinted(run)).not.toContain(PAT)
    expect(run.summary).toMatch(/^<h2>🧪 Dry run: deploy of octo-org\/web-app /)
    // The request keeps its blank lines and indentation inside its <pre> as GitHub renders it.
    expect(renderAsGitHub(run.summary)).toMatch(/<pre>POST [^<]*&#10;&#10;\{&#10; {2}&quot;[^<]*<\/pre>\n$/)
  })
})

describe('an input error', () => {
  it('is one line naming the input, with no stack trace, before anything is sent', async () => {
    const { result: run, requests } = await requestsDuring(() =>
      deploy({ payload: 'region:\n  nested: map' }),
    )
    expect(run.code).toBe(1)
    expect(requests).toHaveLength(0)
    expect(errorAnnotation(run)).toMatch(/^Input 'payload': /)
    expect(errorAnnotation(run)).not.toContain('\n')
    expectNoStackTrace(run)
  })
})

describe("a server error shows Vela's message and what it means", () => {
  it('401 for a token Vela cannot verify', async () => {
    const run = await deploy({ token: vela.mintToken('octocat', { badSignature: true }) })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toMatch(
      /^Vela refused the token \(401: failed parsing: token signature is invalid/,
    )
    expect(errorAnnotation(run)).toContain('lacks write access')
    expectNoStackTrace(run)
  })
})
