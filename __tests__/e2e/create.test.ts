import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type FakeVela } from '../../fake-vela/index.js'
import { renderAsGitHub } from '../../fake-runner/github-markdown.js'
import { logText, readRunnerLog } from '../../fake-runner/runner-view.js'
import { errorAnnotation, runAction, type ActionRun } from '../../fake-runner/run-action.js'

// The committed bundle, run as the runner runs it, against a local Vela that behaves like the real one.

const PAT = 'ghp_e2ePersonalAccessToken000000000000000'
const TAG_SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'
let vela: FakeVela
let token: string

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
  vela.addUser('reader')
  vela.addPat(PAT, 'octocat')
  vela.addPat('ghp_notAVelaUser000000000000000000000000', 'stranger')
  vela.addRepo('octo-org', 'web-app', {
    refs: { 'refs/heads/main': TAG_SHA, 'refs/tags/v1.2.3': TAG_SHA },
    writers: ['octocat'],
  })
  vela.addRepo('octo-org', 'api-service', { branch: 'trunk' })
  vela.addRepo('octo-org', 'guarded', {
    refs: { 'refs/heads/main': TAG_SHA, 'refs/tags/v1.2.3': TAG_SHA },
    deploymentConfig: {
      targets: ['staging', 'production'],
      parameters: {
        region: { required: true, options: ['us-east-1', 'us-west-1'] },
        replicas: { type: 'integer' },
      },
    },
  })
  vela.addRepo('octo-org', 'gh-broken', {
    refs: { 'refs/heads/main': TAG_SHA, 'refs/tags/v1.2.3': TAG_SHA },
    githubFailure: 'POST https://api.github.com/repos/octo-org/gh-broken/deployments: 401 Bad credentials',
  })
  vela.addRepo('octo-org', 'faulty', { refs: { 'refs/heads/main': TAG_SHA, 'refs/tags/v1.2.3': TAG_SHA } })
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

describe('creating a deployment', () => {
  it('creates it with a Vela token and sets every output', async () => {
    const { result: run, requests } = await requestsDuring(() =>
      deploy({ payload: 'region: us-west-1\nreplicas: 3' }),
    )
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
    expect(JSON.parse(run.outputs.deployment ?? '')).toMatchObject({
      number: stored?.number,
      payload: { region: 'us-west-1', replicas: '3' },
    })
    const create = requests.find((r) => r.method === 'POST')
    expect(create?.headers.authorization).toBe(`Bearer ${token}`)
    expect(create?.headers['content-type']).toBe('application/json')
    expect(requests).toHaveLength(1)
  })

  it('exchanges a personal access token, masking the Vela token it gets', async () => {
    const { result: run, requests } = await requestsDuring(() => deploy({ token: PAT }))
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

  it('names the workflow and links the run in the description, and deploys the triggering ref', async () => {
    const run = await deploy({})
    const deployment = JSON.parse(run.outputs.deployment ?? '{}') as { description: string; ref: string }
    expect(deployment.description).toContain('https://github.com/octo-org/web-app/actions/runs/4242')
    expect(deployment.description).toContain('Release')
    expect(deployment.ref).toBe('refs/tags/v1.2.3')
  })

  it("sends no ref for another repository, so Vela deploys that repository's default branch", async () => {
    const { result: run, requests } = await requestsDuring(() => deploy({ repo: 'api-service' }))
    expect(run.code).toBe(0)
    const body = JSON.parse(requests.find((r) => r.method === 'POST')?.body ?? '{}') as Record<
      string,
      unknown
    >
    expect(body).not.toHaveProperty('ref')
    expect(body.target).toBe('production')
    expect(run.outputs.ref).toBe('refs/heads/trunk')
  })

  it('sends every payload value as the string written', async () => {
    const payload = [
      'version: 1.10',
      'build: 007',
      'canary: true',
      'empty:',
      'hex: 0x1F',
      'notes: |',
      '  line one',
      '  line two',
    ].join('\n')
    const run = await deploy({ payload })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.deployment ?? '{}')).toMatchObject({
      payload: {
        version: '1.10',
        build: '007',
        canary: 'true',
        empty: '',
        hex: '0x1F',
        notes: 'line one\nline two\n',
      },
    })
  })

  it('reads a uniformly indented payload block, nested blocks included', async () => {
    const payload = '    region: eu-west-1\n    notes: |\n      line one\n        indented\n'
    const run = await deploy({ payload })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs.deployment ?? '{}')).toMatchObject({
      payload: { region: 'eu-west-1', notes: 'line one\n  indented\n' },
    })
  })

  it('takes a JSON payload too', async () => {
    const run = await deploy({ payload: '{"replicas": 3, "debug": false}' })
    expect(JSON.parse(run.outputs.deployment ?? '{}')).toMatchObject({
      payload: { replicas: '3', debug: 'false' },
    })
  })

  it('writes a job summary that leads with the result, links GitHub pages and no API address, escaped', async () => {
    const run = await deploy({ payload: 'note: "<script>alert(1)</script>"\nblock: |\n  a\n  b' })
    const page = renderAsGitHub(run.summary)
    expect(page).toMatch(
      /^<h2>✅ Started deploy of octo-org\/web-app <code>v1.2.3<\/code> to production<\/h2>/,
    )
    expect(page).toContain(
      `<a href="https://github.com/octo-org/web-app/commit/${TAG_SHA}">${TAG_SHA.slice(0, 7)}</a>`,
    )
    expect(page).toContain('<a href="https://github.com/octo-org/web-app/tree/v1.2.3">v1.2.3</a>')
    expect(page).toContain('<details><summary>Parameters (2)</summary>')
    expect(page).toContain('&lt;script&gt;')
    expect(page).not.toContain('<script>')
    expect(page).not.toContain('api.github.com')
    // Every block stays the HTML it was written as: GitHub adds no paragraph of its own.
    expect(page.match(/<p>/g)).toHaveLength(1)
  })

  it('reads in the log viewer without a workflow command or a token', async () => {
    const run = await deploy({ token: PAT })
    expect(run.stdout).toContain('::add-mask::')
    const shown = logText(readRunnerLog(run.stdout), { debug: true, expand: true })
    expect(shown.filter((line) => /^\s*::/.test(line))).toEqual([])
    expect(shown.join('\n')).not.toContain(PAT)
    expect(shown.some((line) => line.startsWith('Created Vela deployment'))).toBe(true)
  })

  it('keeps a path prefix on the server address', async () => {
    const prefixed = await startFakeVela({ basePath: '/vela' })
    try {
      prefixed.addUser('octocat')
      prefixed.addPat(PAT, 'octocat')
      prefixed.addRepo('octo-org', 'web-app', {
        refs: { 'refs/heads/main': TAG_SHA, 'refs/tags/v1.2.3': TAG_SHA },
      })
      const run = await runAction({ server: `${prefixed.url}/`, token: PAT, wait: 'false' })
      expect(run.code).toBe(0)
      expect(prefixed.deploymentsOf('octo-org', 'web-app')).toHaveLength(1)
    } finally {
      await prefixed.close()
    }
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

describe('input errors are reported before anything is sent', () => {
  it.each([
    [{ payload: 'region:\n  nested: map' }, "Input 'payload'"],
    [{ wait: 'maybe' }, "Input 'wait': expected true or false"],
    [{ 'wait-timeout': '0s' }, "Input 'wait-timeout'"],
    [{ repo: '../admin' }, "Input 'repo'"],
    [{ server: 'ftp://vela' }, "Input 'server'"],
  ])('%j', async (inputs, message) => {
    const { result: run, requests } = await requestsDuring(() => deploy(inputs))
    expect(run.code).toBe(1)
    expect(requests).toHaveLength(0)
    expect(errorAnnotation(run)).toContain(message)
    expect(errorAnnotation(run)).not.toContain('\n')
    expectNoStackTrace(run)
  })

  it('refuses an expired Vela token without sending it', async () => {
    const { result: run, requests } = await requestsDuring(() =>
      deploy({ token: vela.mintToken('octocat', { ttlSeconds: -10 }) }),
    )
    expect(run.code).toBe(1)
    expect(requests).toHaveLength(0)
    expect(errorAnnotation(run)).toMatch(/Input 'token': the Vela access token expired/)
  })
})

describe("server errors show Vela's message and what it means", () => {
  it('401 for a token Vela cannot verify', async () => {
    const run = await deploy({ token: vela.mintToken('octocat', { badSignature: true }) })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toMatch(
      /^Vela refused the token \(401: failed parsing: token signature is invalid/,
    )
    expect(errorAnnotation(run)).toContain('lacks write access')
    expectNoStackTrace(run)
  })

  it('401 for a user without write access', async () => {
    const run = await deploy({ token: vela.mintToken('reader') })
    expect(errorAnnotation(run)).toContain(
      "user reader does not have 'write' permissions for the repo octo-org/web-app",
    )
  })

  it('401 for a personal access token of someone who is not a Vela user', async () => {
    const run = await deploy({ token: 'ghp_notAVelaUser000000000000000000000000' })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toContain('401: unable to authenticate: user')
  })

  it('404 for a repository Vela does not know', async () => {
    const run = await deploy({ repo: 'not-enabled' })
    expect(errorAnnotation(run)).toBe(
      'Vela does not know octo-org/not-enabled (404: unable to read repo octo-org/not-enabled: record not found). Enable the repository in Vela, or check the org and repo inputs',
    )
  })

  it('400 from the deployment config lists the targets and parameters it allows', async () => {
    const run = await deploy({ repo: 'guarded', target: 'prod', payload: 'region: us-west-1' })
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toContain(
      'Vela refused the deployment (400: unable to validate deployment config for octo-org/guarded',
    )
    expect(message).toContain('targets: staging, production')
    expect(message).toContain('region (required, one of us-east-1|us-west-1)')
    expect(message).toContain('replicas (integer)')
    expect(vela.deploymentsOf('octo-org', 'guarded')).toHaveLength(0)
  })

  it('500 when the ref does not exist', async () => {
    const run = await deploy({ ref: 'refs/heads/no-such-branch' })
    expect(errorAnnotation(run)).toMatch(
      /^Vela failed on its side or GitHub's \(500: unable to get deployment config/,
    )
  })

  it("500 when GitHub refuses the deployment shows GitHub's words", async () => {
    const run = await deploy({ repo: 'gh-broken' })
    expect(errorAnnotation(run)).toContain('401 Bad credentials')
    expect(vela.deploymentsOf('octo-org', 'gh-broken')).toHaveLength(0)
  })

  it('summarises an HTML page from a proxy instead of dumping it', async () => {
    vela.injectFault(
      { method: 'POST', path: /\/deployments\/octo-org\/faulty$/ },
      {
        kind: 'status',
        status: 403,
        contentType: 'text/html',
        body: `<html><head><title>403 Forbidden</title></head><body><h1>Forbidden by proxy policy</h1>${'<p>x</p>'.repeat(2000)}</body></html>`,
      },
    )
    const run = await deploy({ repo: 'faulty' })
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toContain('HTTP 403, text/html, body starts "403 Forbidden Forbidden by proxy policy')
    expect(message.length).toBeLessThan(500)
  })

  it('a 201 without a deployment in it is an error', async () => {
    vela.injectFault(
      { method: 'POST', path: /\/deployments\/octo-org\/faulty$/ },
      {
        kind: 'status',
        status: 201,
        contentType: 'application/json',
        body: '{}',
      },
    )
    const run = await deploy({ repo: 'faulty' })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toContain('not a deployment')
    expectNoStackTrace(run)
  })
})
