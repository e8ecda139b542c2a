import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { DEFAULT_COMMIT, startFakeVela, type FakeVela, type RecordedRequest } from '../fake-vela/index.js'
import { startGitHubStandIn } from '../github-standin/index.js'
import { inProcessAction } from './support/in-process-action.js'
import { exampleSettings } from './support/example-settings.js'

// run() in-process against the fake Vela on 127.0.0.1, with the inputs as the runner sets them.

const action = await inProcessAction()
const { core, failure, summaryHtml } = action
const { cancelledRun, finishRun } = await import('../src/report/finish.js')
const { liveRuntime } = await import('../src/run/runtime.js')
const { listenForCancel } = await import('../src/runner/signals.js')

const ORG = 'octo-org'
const PAT = 'ghp_mainTestPersonalAccessToken0000000000'
const STRANGER_PAT = 'ghp_notAVelaUser000000000000000000000000'
const UI = 'https://vela-ui.test'

let vela: FakeVela
let token: string

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: UI, now: action.clock.now })
  vela.addUser('octocat')
  vela.addPat(PAT, 'octocat')
  vela.addRepo(ORG, 'web-app')
  vela.addRepo(ORG, 'guarded', { deploymentConfig: { targets: ['staging'] } })
  vela.addUser('reader')
  vela.addPat(STRANGER_PAT, 'stranger')
  vela.addRepo(ORG, 'web-app-read-only', { writers: ['octocat'] })
  vela.addRepo(ORG, 'guarded-parameters', {
    deploymentConfig: {
      targets: ['staging', 'production'],
      parameters: {
        region: { required: true, options: ['us-east-1', 'us-west-1'] },
        replicas: { type: 'integer' },
      },
    },
  })
  vela.addRepo(ORG, 'gh-broken', {
    githubFailure: 'POST https://api.github.com/repos/octo-org/gh-broken/deployments: 401 Bad credentials',
  })
  vela.addRepo(ORG, 'empty-answer')
  // Builds that are already finished when the action first asks, so waiting takes one poll.
  vela.addRepo(ORG, 'passing')
  vela.setBuildPlan(ORG, 'passing', { webhookDelayMs: 0, timeline: [{ status: 'success', afterMs: 0 }] })
  vela.addRepo(ORG, 'failing')
  vela.setBuildPlan(ORG, 'failing', { webhookDelayMs: 0, timeline: [{ status: 'failure', afterMs: 0 }] })
  for (const status of ['error', 'canceled', 'killed']) {
    vela.addRepo(ORG, `ends-${status}`)
    vela.setBuildPlan(ORG, `ends-${status}`, { webhookDelayMs: 0, timeline: [{ status, afterMs: 0 }] })
  }
  vela.addRepo(ORG, 'silent')
  vela.setBuildPlan(ORG, 'silent', { webhook: 'never' })
  // A webhook that comes half a minute after the create; a build Vela does not link to the deployment, among
  // other deployment builds of the same commit.
  vela.addRepo(ORG, 'late-webhook')
  vela.setBuildPlan(ORG, 'late-webhook', {
    webhookDelayMs: 30_000,
    timeline: [{ status: 'success', afterMs: 0 }],
  })
  vela.addRepo(ORG, 'unlinked')
  vela.setBuildPlan(ORG, 'unlinked', {
    webhookDelayMs: 0,
    timeline: [{ status: 'success', afterMs: 0 }],
    extraBuildsOnCommit: 3,
    linkToDeployment: false,
  })
  // Builds that run for a minute, so they are still running when the wait gives up.
  vela.addRepo(ORG, 'slow')
  vela.addRepo(ORG, 'slow-read-only', { writers: ['octocat'], readers: ['reader'] })
  for (const repo of ['slow', 'slow-read-only']) {
    vela.setBuildPlan(ORG, repo, {
      webhookDelayMs: 0,
      timeline: [
        { status: 'running', afterMs: 0 },
        { status: 'success', afterMs: 60_000 },
      ],
    })
  }
  // A build that starts 5 s after the create and runs for a minute: after the first poll, before the next.
  vela.addRepo(ORG, 'slow-late')
  vela.setBuildPlan(ORG, 'slow-late', {
    webhookDelayMs: 5_000,
    timeline: [
      { status: 'running', afterMs: 0 },
      { status: 'success', afterMs: 60_000 },
    ],
  })
  token = vela.mintToken('octocat')
})

afterAll(async () => {
  await vela.close()
})

/** Runs the action with these inputs over the defaults; returns the requests Vela received meanwhile. */
function runAction(values: Record<string, string> = {}): Promise<RecordedRequest[]> {
  return action.run(vela, { server: vela.url, token, org: ORG, repo: 'web-app', ...values })
}

const lastDeployment = (repo: string) => vela.deploymentsOf(ORG, repo).at(-1)
const lastBuild = (repo: string) => vela.buildsOf(ORG, repo).at(-1)

describe('run: creating a deployment', () => {
  it('creates it with a Vela token, sets every deployment output and writes the summary', async () => {
    const requests = await runAction({ ref: 'refs/heads/main', wait: 'false' })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /api/v1/deployments/${ORG}/web-app`])
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${token}`)
    const stored = lastDeployment('web-app')
    expect(stored).toBeDefined()
    const outputs = core.outputs()
    expect(outputs).toEqual({
      id: String(stored?.id),
      number: String(stored?.number),
      commit: DEFAULT_COMMIT,
      ref: 'refs/heads/main',
      target: 'production',
      task: 'deploy:vela',
      url: stored?.url,
      deployment: expect.any(String),
    })
    expect(JSON.parse(outputs.deployment ?? '')).toMatchObject({ id: stored?.id, number: stored?.number })
    expect(core.info).toHaveBeenCalledWith(
      expect.stringContaining(`Created Vela deployment ${stored?.number} of ${ORG}/web-app`),
    )
    const html = summaryHtml()
    expect(core.summary.addRaw).toHaveBeenCalledWith(html, true)
    expect(html).toMatch(new RegExp(`^<h2>✅ Started deploy of ${ORG}/web-app .* to production</h2>`))
    // Without a build or ui-url, the Vela UI's address is unknown: the number is not a link.
    expect(html).toContain(`<th align="left">Vela deployment</th><td>${stored?.number}</td>`)
    // No GET /version on a plain create: the answer tells the era.
    expect(core.debug).toHaveBeenCalledWith("Vela's create answer shows Vela v0.26 or newer")
    expect(html).toContain('<tr><th align="left">Vela server</th><td>Vela v0.26 or newer</td></tr>')
  })

  it('exchanges a GitHub personal access token and masks the Vela token it gets', async () => {
    const requests = await runAction({ token: PAT, wait: 'false' })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /authenticate/token',
      `POST /api/v1/deployments/${ORG}/web-app`,
    ])
    expect(requests[0]?.headers.token).toBe(PAT)
    const exchanged = requests[1]?.headers.authorization?.replace(/^Bearer /, '') ?? ''
    expect(exchanged).not.toBe(PAT)
    expect(exchanged.split('.')).toHaveLength(3)
    expect(core.setSecret).toHaveBeenCalledWith(PAT)
    expect(core.setSecret).toHaveBeenCalledWith(exchanged)
    expect(core.outputs().number).toBe(String(lastDeployment('web-app')?.number))
  })

  it('in a dry run sends nothing, prints the request without the token and says so in the summary', async () => {
    const requests = await runAction({
      'dry-run': 'true',
      ref: 'refs/tags/v1.2.3',
      payload: 'region: us-east-1\nblue-green: "yes"',
    })

    expect(requests).toEqual([])
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.setOutput).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(expect.stringContaining('DEPLOYMENT_PARAMETER_BLUE-GREEN'))
    const printed = core.logged()
    expect(printed).toContain(`POST ${vela.url}/api/v1/deployments/${ORG}/web-app`)
    expect(printed).toContain('authorization: Bearer *** (the Vela access token)')
    expect(printed.join('\n')).not.toContain(token)
    const html = summaryHtml()
    expect(html).toMatch(/^<h2>🧪 Dry run: deploy of /)
    expect(html).toContain('&quot;region&quot;: &quot;us-east-1&quot;')
    expect(html).not.toContain(token)
  })
})

describe('run: failing', () => {
  it('names the input at fault, sends nothing and writes no summary when the inputs cannot be read', async () => {
    const requests = await runAction({ 'wait-timeout': 'soon' })

    expect(requests).toEqual([])
    expect(failure()).toBe(
      `Input 'wait-timeout': expected a duration such as 90s, 15m, 1h or 1h30m, or a number of seconds; got "soon"`,
    )
    expect(core.setOutput).not.toHaveBeenCalled()
    expect(core.summary.addRaw).not.toHaveBeenCalled()
    expect(core.summary.write).not.toHaveBeenCalled()
  })

  it("fails with Vela's words when it refuses the deployment, and still writes the summary", async () => {
    const requests = await runAction({ repo: 'guarded' })

    const message = failure()
    expect(message).toMatch(
      new RegExp(
        `^Vela refused the deployment \\(400: unable to validate deployment config for ${ORG}/guarded: `,
      ),
    )
    expect(message).toContain('The pipeline allows targets: staging')
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    expect(vela.deploymentsOf(ORG, 'guarded')).toEqual([])
    expect(core.setOutput).not.toHaveBeenCalled()
    const html = summaryHtml()
    expect(html).toMatch(new RegExp(`^<h2>❌ Deploy of ${ORG}/guarded to production failed</h2>`))
    expect(html).toContain('<p>Vela refused the deployment (400: unable to validate')
    expect(html).not.toContain('Vela deployment')
  })

  it.each([
    {
      name: '401 for a user without write access',
      inputs: (): Record<string, string> => ({ repo: 'web-app-read-only', token: vela.mintToken('reader') }),
      says: [
        "Vela refused the token (401: user reader does not have 'write' permissions for the repo octo-org/web-app-read-only)",
      ],
    },
    {
      name: 'a personal access token of someone who is not a Vela user',
      inputs: () => ({ token: STRANGER_PAT }),
      says: ['401: unable to authenticate: user'],
    },
    {
      name: '404 for a repository Vela does not know',
      inputs: () => ({ repo: 'not-enabled' }),
      says: [
        'Vela does not know octo-org/not-enabled (404: unable to read repo octo-org/not-enabled: record not found). Enable the repository in Vela, or check the org and repo inputs',
      ],
    },
    {
      name: '400 from the deployment config, listing the targets and parameters it allows',
      inputs: () => ({ repo: 'guarded-parameters', target: 'prod', payload: 'region: us-west-1' }),
      says: [
        'Vela refused the deployment (400: unable to validate deployment config for octo-org/guarded-parameters',
        'targets: staging, production',
        'region (required, one of us-east-1|us-west-1)',
        'replicas (integer)',
      ],
    },
    {
      name: '500 when the ref does not exist',
      inputs: () => ({ ref: 'refs/heads/no-such-branch' }),
      says: ["Vela failed on its side or GitHub's (500: unable to get deployment config"],
    },
    {
      name: "500 when GitHub refuses the deployment, in GitHub's words",
      inputs: () => ({ repo: 'gh-broken' }),
      says: ['401 Bad credentials'],
    },
    {
      name: 'a 201 without a deployment in it',
      inputs: () => {
        vela.injectFault(
          { method: 'POST', path: /\/deployments\/octo-org\/empty-answer$/ },
          { kind: 'status', status: 201, contentType: 'application/json', body: '{}' },
        )
        return { repo: 'empty-answer' }
      },
      says: ['not a deployment'],
    },
  ])("shows Vela's message and what it means: $name", async ({ inputs, says }) => {
    const requests = await runAction({ wait: 'false', ...inputs() })

    const message = failure()
    for (const words of says) expect(message).toContain(words)
    expect(message).not.toContain('\n')
    // A refused create is not sent again, and nothing is reported as created.
    expect(
      requests.filter((r) => r.method === 'POST' && r.path.includes('/deployments/')).length,
    ).toBeLessThan(2)
    expect(core.setOutput).not.toHaveBeenCalled()
  })

  it('summarises an HTML page from a proxy in one short line instead of dumping it', async () => {
    vela.injectFault(
      { method: 'POST', path: new RegExp(`/deployments/${ORG}/web-app$`) },
      {
        kind: 'status',
        status: 403,
        contentType: 'text/html',
        body: `<html><head><title>403 Forbidden</title></head><body><h1>Forbidden by proxy policy</h1>${'<p>x</p>'.repeat(2000)}</body></html>`,
      },
    )
    await runAction({ wait: 'false' })

    const message = failure()
    expect(message).toContain('HTTP 403, text/html, body starts "403 Forbidden Forbidden by proxy policy')
    expect(message.length).toBeLessThan(500)
  })

  it('fails with one line and leaves the stack to debug logging when something unexpected breaks', async () => {
    core.info.mockImplementationOnce(() => {
      throw new Error('the log is gone')
    })
    const requests = await runAction()

    expect(requests).toEqual([])
    const message = failure()
    expect(message).toBe(
      'Unexpected error: the log is gone (turn on step debug logging to see where it happened)',
    )
    expect(core.debug).toHaveBeenCalledTimes(1)
    expect(String(core.debug.mock.calls[0]?.[0])).toMatch(/^Error: the log is gone\n\s+at /)
    const notDebug = [...core.info.mock.calls, ...core.warning.mock.calls].flat().map(String)
    expect(notDebug.join('\n')).not.toMatch(/\n\s+at /)
    expect(summaryHtml()).toContain('<p>Unexpected error: the log is gone')
  })

  it('fails the same way for a thrown value that is not an Error, with no stack to show', async () => {
    core.info.mockImplementationOnce(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless dependency may do
      throw 'a bare string'
    })
    await runAction()

    expect(failure()).toBe(
      'Unexpected error: a bare string (turn on step debug logging to see where it happened)',
    )
    expect(core.debug).not.toHaveBeenCalled()
  })
})

describe('run: waiting for the build', () => {
  it('sets the build outputs when the build succeeds', async () => {
    const requests = await runAction({ repo: 'passing', wait: 'true', 'poll-interval': '1s' })

    expect(core.setFailed).not.toHaveBeenCalled()
    const build = lastBuild('passing')
    expect(build?.status).toBe('success')
    expect(build?.link).toBe(`${UI}/${ORG}/passing/${build?.number}`)
    expect(core.outputs()).toMatchObject({
      number: String(lastDeployment('passing')?.number),
      'build-number': String(build?.number),
      'build-status': 'success',
      'build-url': build?.link,
    })
    expect(core.info).toHaveBeenCalledWith(`Build #${build?.number}: ${build?.link}`)
    expect(core.info).toHaveBeenCalledWith(
      expect.stringMatching(new RegExp(`^Build #${build?.number} succeeded in (under 1s|\\d+s)$`)),
    )
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    const html = summaryHtml()
    expect(html).toMatch(/^<h2>✅ Deployed /)
    expect(html).toContain(`<p>Vela build <a href="${build?.link}">#${build?.number}</a> succeeded`)
    expect(html).toContain('<tr><th align="left">Vela server</th><td>v0.28.8</td></tr>')
    expect(requests.filter((r) => r.path === '/version')).toHaveLength(1)
  })

  it('fails when the build fails, and still sets the deployment and build outputs', async () => {
    await runAction({ repo: 'failing', wait: 'true', 'poll-interval': '1s' })

    const build = lastBuild('failing')
    expect(failure()).toBe(`Build #${build?.number} ended with status failure: ${build?.link}`)
    const deployment = lastDeployment('failing')
    expect(core.outputs()).toMatchObject({
      id: String(deployment?.id),
      number: String(deployment?.number),
      'build-number': String(build?.number),
      'build-status': 'failure',
      'build-url': build?.link,
    })
    expect(core.startGroup).toHaveBeenCalledWith(expect.stringMatching(/^Step "deploy" ended in failure/))
    const html = summaryHtml()
    expect(html).toMatch(/^<h2>❌ Deploy of .* failed<\/h2>/)
    expect(html).toContain(`<p>Vela build <a href="${build?.link}">#${build?.number}</a> failed`)
    // The failed step and the last lines of its log, as the wait read them.
    expect(html).toContain('at step <strong>deploy</strong> (exit code 1)')
    expect(html).toMatch(/<p>Last lines of step <strong>deploy<\/strong>:<\/p>\n\n<pre>[^<]+<\/pre>/)
  })

  it('keeps waiting through a long webhook delay', async () => {
    await runAction({ repo: 'late-webhook', 'poll-interval': '5s' })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).toMatchObject({
      'build-number': String(lastBuild('late-webhook')?.number),
      'build-status': 'success',
    })
  })

  it('picks our build among other deployment builds of the commit when Vela does not link it', async () => {
    await runAction({ repo: 'unlinked', 'poll-interval': '1s' })

    expect(core.setFailed).not.toHaveBeenCalled()
    const number = Number(core.outputs().number)
    const builds = vela.buildsOf(ORG, 'unlinked')
    expect(builds).toHaveLength(4)
    const ours = builds.find((b) => b.deploy_number === number)
    expect(vela.deploymentsOf(ORG, 'unlinked').at(-1)?.builds ?? []).toEqual([])
    expect(core.outputs()['build-number']).toBe(String(ours?.number))
    expect(core.outputs()['build-status']).toBe('success')
  })

  it.each(['error', 'canceled', 'killed'])('fails when the build ends %s, and says so', async (status) => {
    await runAction({ repo: `ends-${status}`, wait: 'true', 'poll-interval': '1s' })

    const build = lastBuild(`ends-${status}`)
    expect(failure()).toBe(`Build #${build?.number} ended with status ${status}: ${build?.link}`)
    expect(core.outputs()).toMatchObject({ 'build-number': String(build?.number), 'build-status': status })
  })

  it('follows an existing deployment when given its number, and creates nothing', async () => {
    await runAction({ repo: 'passing', wait: 'false' })
    const deployment = lastDeployment('passing')
    jest.clearAllMocks()

    const requests = await runAction({
      repo: 'passing',
      deployment: String(deployment?.number),
      'poll-interval': '1s',
      'ui-url': UI,
      ref: 'refs/heads/not-this-one',
    })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(
      "'ref' is ignored: with 'deployment' set, the action creates nothing and follows that deployment's build",
    )
    expect(requests.filter((r) => r.method !== 'GET')).toHaveLength(0)
    const build = lastBuild('passing')
    expect(core.outputs()).toMatchObject({
      id: String(deployment?.id),
      number: String(deployment?.number),
      'build-number': String(build?.number),
      'build-status': 'success',
    })
    expect(JSON.parse(core.outputs().deployment ?? '{}')).toMatchObject({ number: deployment?.number })
    expect(core.info).toHaveBeenCalledWith(
      `Following existing deployment ${deployment?.number} of ${ORG}/passing (commit ${deployment?.commit}, ref ${deployment?.ref}, target production); nothing is created. Vela's deployments: ${UI}/${ORG}/passing/deployments`,
    )
    expect(summaryHtml()).toMatch(/^<h2>✅ Deployed /)
  })

  it("shows environment-url on Vela's GitHub deployment once the build succeeded", async () => {
    const github = await startGitHubStandIn('vela-client-id')
    try {
      await runAction({ repo: 'passing', wait: 'false' })
      const number = lastDeployment('passing')?.number ?? 0
      github.addRepo(ORG, 'passing', { pipeline: '' })
      const onGitHub = github.addDeployment(ORG, 'passing', number, 'production')
      github.postStatus(onGitHub, 'octocat', { state: 'success' })
      process.env.GITHUB_API_URL = `${github.url}/api/v3`
      jest.clearAllMocks()

      await runAction({
        repo: 'passing',
        deployment: String(number),
        'environment-url': 'https://web.example.com',
        'github-token': github.addPersonalToken(ORG),
      })

      expect(core.setFailed).not.toHaveBeenCalled()
      expect(core.warning).not.toHaveBeenCalled()
      expect(onGitHub.statuses.at(-1)).toMatchObject({
        environment_url: 'https://web.example.com',
        log_url: lastBuild('passing')?.link,
      })
      expect(core.outputs()).toMatchObject({ 'environment-url': 'https://web.example.com' })
      expect(summaryHtml()).toContain('<a href="https://web.example.com">View deployment</a>')
    } finally {
      await github.close()
    }
  })

  it("tells the followed deployment's own ref, target and parameters, never the ignored inputs", async () => {
    await runAction({ repo: 'passing', wait: 'false', target: 'staging', payload: 'region: eu-west-1' })
    const deployment = lastDeployment('passing')
    jest.clearAllMocks()

    await runAction({
      repo: 'passing',
      deployment: String(deployment?.number),
      'poll-interval': '1s',
      ref: 'refs/heads/not-this-one',
      target: 'qa',
      payload: 'region: [',
      description: 'bell\u0007',
    })

    expect(core.setFailed).not.toHaveBeenCalled()
    const summary = summaryHtml()
    expect(summary).toMatch(/^<h2>✅ Deployed octo-org\/passing <code>main<\/code> to staging<\/h2>/)
    expect(summary).toContain('<tr><td><code>region</code></td><td><code>eu-west-1</code></td></tr>')
    expect(summary).not.toMatch(/not-this-one|qa|region: \[/)
  })

  it("explains a missing build with the followed deployment's target, not the target input", async () => {
    await runAction({ repo: 'silent', wait: 'false', target: 'staging' })
    const deployment = lastDeployment('silent')
    jest.clearAllMocks()

    await runAction({
      repo: 'silent',
      deployment: String(deployment?.number),
      target: 'qa',
      'wait-timeout': '1s',
      'poll-interval': '1s',
    })

    expect(failure()).toContain('the deployment event or target "staging"')
    expect(summaryHtml()).toMatch(
      /^<h2>⏱ Timed out deploying octo-org\/silent <code>main<\/code> to staging<\/h2>/,
    )
  })

  it('fails naming the deployment number when Vela does not have it', async () => {
    const requests = await runAction({ repo: 'passing', deployment: '123454321' })

    expect(failure()).toMatch(/^Input 'deployment': Vela has no deployment 123454321 of octo-org\/passing/)
    expect(requests.filter((r) => r.method !== 'GET')).toHaveLength(0)
  })

  it('with cancel-build-on-abort, says after a timeout that there was no build to cancel yet', async () => {
    const requests = await runAction({
      repo: 'silent',
      'wait-timeout': '1s',
      'poll-interval': '1s',
      'cancel-build-on-abort': 'true',
    })

    const number = lastDeployment('silent')?.number
    const said = `No build was cancelled: none of deployment ${number} was seen, even on a last look; Vela may still start one`
    expect(failure()).toMatch(/^Timed out after 1s: no build of deployment \d+ was seen\. /)
    expect(failure()).toContain(`. ${said}`)
    expect(core.warning).toHaveBeenCalledWith(said)
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(0)
  })

  it("times out when Vela creates no build, and the summary's heading says so", async () => {
    await runAction({ repo: 'silent', wait: 'true', 'wait-timeout': '1s', 'poll-interval': '1s' })

    const number = lastDeployment('silent')?.number
    const message = failure()
    expect(message).toMatch(new RegExp(`^Timed out after 1s: no build of deployment ${number} was seen\\.`))
    expect(message).toContain('Vela has recorded no deployment webhook since the deployment was created')
    expect(core.outputs()).toMatchObject({ number: String(number) })
    expect(core.outputs()).not.toHaveProperty('build-number')
    const html = summaryHtml()
    expect(html).toMatch(/^<h2>⏱ Timed out deploying /)
    expect(html).toContain('<p>Timed out after 1s')
  })
})

// On the runner's signals, the bundle is tested in e2e/cancel.test.ts.
describe('run: cancel-build-on-abort when wait-timeout passes', () => {
  const cancels = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'DELETE')

  it('cancels the running build in Vela and says so', async () => {
    const requests = await runAction({
      repo: 'slow',
      'poll-interval': '1s',
      'wait-timeout': '3s',
      'cancel-build-on-abort': 'true',
    })

    const build = lastBuild('slow')
    expect(cancels(requests)).toHaveLength(1)
    expect(build?.status).toBe('canceled')
    expect(core.outputs()['build-status']).toBe('canceled')
    expect(failure()).toMatch(
      new RegExp(
        `^Timed out after 3s: build #${build?.number} was running.*\\. Build #${build?.number} was cancelled in Vela$`,
      ),
    )
  })

  it('cancels a build that started after the last poll, found on a last look', async () => {
    const requests = await runAction({
      repo: 'slow-late',
      'poll-interval': '30s',
      'wait-timeout': '20s',
      'cancel-build-on-abort': 'true',
    })

    const build = lastBuild('slow-late')
    const number = lastDeployment('slow-late')?.number
    expect(cancels(requests)).toHaveLength(1)
    expect(build?.status).toBe('canceled')
    expect(core.outputs()).toMatchObject({
      'build-number': String(build?.number),
      'build-status': 'canceled',
    })
    expect(failure()).toMatch(
      new RegExp(
        `^Timed out after 20s: no build of deployment ${number} was seen\\. Likely reasons: .*\\. Build #${build?.number}, found on a last look, was cancelled in Vela$`,
      ),
    )
  })

  it('leaves the build alone by default', async () => {
    const requests = await runAction({ repo: 'slow', 'poll-interval': '1s', 'wait-timeout': '2s' })

    expect(failure()).toMatch(/^Timed out after 2s: build #\d+ was running/)
    expect(cancels(requests)).toHaveLength(0)
    expect(lastBuild('slow')?.status).toBe('running')
    expect(core.outputs()['build-status']).toBe('running')
  })

  it('says why it could not: the user may only read the repository', async () => {
    // Another job created the deployment; this one, with a reader's token, follows it.
    await runAction({ repo: 'slow-read-only', wait: 'false' })
    const deployment = lastDeployment('slow-read-only')
    jest.clearAllMocks()

    const requests = await runAction({
      repo: 'slow-read-only',
      token: vela.mintToken('reader'),
      deployment: String(deployment?.number),
      wait: 'true',
      'poll-interval': '1s',
      'wait-timeout': '2s',
      'cancel-build-on-abort': 'true',
    })

    const build = lastBuild('slow-read-only')
    expect(cancels(requests)).toHaveLength(1)
    expect(build?.status).toBe('running')
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(
        new RegExp(
          `^Vela refused to cancel build #${build?.number} \\(401: user reader does not have 'write' permissions`,
        ),
      ),
    )
    expect(failure()).toContain(`Vela refused to cancel build #${build?.number}`)
  })
})

describe('run: the job summary', () => {
  it('is not written outside a runner, where GITHUB_STEP_SUMMARY is unset', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await runAction({ wait: 'false' })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.setOutput).toHaveBeenCalled()
    expect(core.summary.addRaw).not.toHaveBeenCalled()
    expect(core.summary.write).not.toHaveBeenCalled()
  })

  it("is still written when the runner's signal lands while the run reports", async () => {
    // Without a listener, a real SIGTERM here would end the process before the summary is out.
    const listening = process.listenerCount('SIGTERM')
    core.summary.write.mockImplementationOnce(() => {
      process.emit('SIGTERM', 'SIGTERM')
      return Promise.resolve(core.summary)
    })
    await runAction({ wait: 'false' })
    expect(process.listenerCount('SIGTERM')).toBe(listening)

    // The create has been answered: nothing is in flight, and the line does not pretend otherwise.
    expect(core.info).toHaveBeenCalledWith('Received SIGTERM: stopping')
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs().number).toBeDefined()
    expect(summaryHtml()).toContain('Started deploy of octo-org/web-app')
  })

  it('only earns a warning when it cannot be written', async () => {
    core.summary.write.mockRejectedValueOnce(new Error('EACCES: permission denied, open step-summary.md'))
    await runAction({ wait: 'false' })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning).toHaveBeenCalledWith(
      'Could not write the job summary: EACCES: permission denied, open step-summary.md',
    )
  })
})

describe('listenForCancel', () => {
  let exit: jest.SpiedFunction<typeof process.exit>

  beforeEach(() => {
    jest.useFakeTimers()
    // The grace timer ends the process; here it must only be seen to try.
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never)
  })

  afterEach(() => {
    jest.useRealTimers()
    exit.mockRestore()
  })

  it('stops the wait at the first signal and the create at the second', () => {
    const lastWords = jest.fn(() => Promise.resolve())
    const cancel = listenForCancel(core, lastWords, () => true)
    try {
      process.emit('SIGINT', 'SIGINT')
      expect(cancel.wait.aborted).toBe(true)
      expect(cancel.create.aborted).toBe(false)
      expect(core.info).toHaveBeenCalledWith(
        'Received SIGINT: stopping; the create request in flight has 7s to be answered',
      )

      process.emit('SIGTERM', 'SIGTERM')
      expect(cancel.create.aborted).toBe(true)
      expect(core.info).toHaveBeenCalledTimes(1)
      expect(lastWords).not.toHaveBeenCalled()
    } finally {
      cancel.dispose()
    }
  })

  it("lets a create finish for 7s, and reports and exits by 8.5s: the runner's SIGKILL comes at 10s", async () => {
    const lastWords = jest.fn(() => Promise.resolve())
    const cancel = listenForCancel(core, lastWords, () => true)
    try {
      process.emit('SIGINT', 'SIGINT')
      jest.advanceTimersByTime(6_999)
      expect(cancel.create.aborted).toBe(false)
      jest.advanceTimersByTime(1)
      expect(cancel.create.aborted).toBe(true)

      jest.advanceTimersByTime(1_499)
      expect(lastWords).not.toHaveBeenCalled()
      expect(exit).not.toHaveBeenCalled()
      jest.advanceTimersByTime(1)
      expect(lastWords).toHaveBeenCalledTimes(1)
      await jest.advanceTimersByTimeAsync(0)
      expect(exit).toHaveBeenCalledWith(1)
    } finally {
      cancel.dispose()
    }
  })

  it('exits only once the last words are out: the report a cancel interrupts must not be cut short', async () => {
    let reported: () => void = () => undefined
    const lastWords = jest.fn(() => new Promise<void>((resolve) => (reported = resolve)))
    const cancel = listenForCancel(core, lastWords, () => false)
    try {
      process.emit('SIGINT', 'SIGINT')
      await jest.advanceTimersByTimeAsync(8_500)
      expect(lastWords).toHaveBeenCalledTimes(1)
      expect(exit).not.toHaveBeenCalled()
      reported()
      await jest.advanceTimersByTimeAsync(0)
      expect(exit).toHaveBeenCalledWith(1)
    } finally {
      cancel.dispose()
    }
  })

  it('names SIGTERM when that comes first, and speaks of a create only when one is in flight', () => {
    const cancel = listenForCancel(
      core,
      () => Promise.resolve(),
      () => false,
    )
    try {
      process.emit('SIGTERM', 'SIGTERM')
      expect(cancel.wait.aborted).toBe(true)
      expect(cancel.create.aborted).toBe(false)
      expect(core.info).toHaveBeenCalledWith('Received SIGTERM: stopping')
    } finally {
      cancel.dispose()
    }
  })

  it('stops listening once disposed', () => {
    const sigint = process.listenerCount('SIGINT')
    const sigterm = process.listenerCount('SIGTERM')
    const cancel = listenForCancel(
      core,
      () => Promise.resolve(),
      () => false,
    )
    expect(process.listenerCount('SIGINT')).toBe(sigint + 1)
    expect(process.listenerCount('SIGTERM')).toBe(sigterm + 1)
    cancel.dispose()
    expect(process.listenerCount('SIGINT')).toBe(sigint)
    expect(process.listenerCount('SIGTERM')).toBe(sigterm)

    process.emit('SIGINT', 'SIGINT')
    process.emit('SIGTERM', 'SIGTERM')
    expect(cancel.wait.aborted).toBe(false)
    expect(cancel.create.aborted).toBe(false)
    expect(core.info).not.toHaveBeenCalled()
    jest.runAllTimers()
    expect(exit).not.toHaveBeenCalled()
  })

  it('drops the timers of a cancel under way once disposed: the run has ended by itself', () => {
    const lastWords = jest.fn(() => Promise.resolve())
    const cancel = listenForCancel(core, lastWords, () => true)
    process.emit('SIGINT', 'SIGINT')
    cancel.dispose()
    jest.runAllTimers()
    expect(cancel.create.aborted).toBe(false)
    expect(lastWords).not.toHaveBeenCalled()
    expect(exit).not.toHaveBeenCalled()
  })
})

describe('a cancelled run that must end before SIGKILL', () => {
  const settings = exampleSettings({ uiUrl: 'https://vela-ui.test' })
  const endCancelled = (record: Parameters<typeof cancelledRun>[0]) =>
    finishRun(record, { ok: false, error: cancelledRun(record) }, liveRuntime)

  it('says the outcome is unknown, and where to check, while the create has no answer', async () => {
    await endCancelled({ settings, createSent: true })
    expect(failure()).toBe(
      'Cancelled before Vela answered the create request: the deployment of octo-org/app may or may not exist; check https://vela-ui.test/octo-org/app/deployments before running this again',
    )
    expect(summaryHtml()).toContain('may or may not exist')
    expect(core.outputs()).toEqual({})
  })

  it('heads the summary as cancelled, also when the outcome of the create is unknown', async () => {
    await endCancelled({ settings, createSent: true })
    expect(summaryHtml()).toMatch(/^<h2>⏹ Cancelled deploy of /)
  })

  it('names the deployment and build it knows, and sets their outputs', async () => {
    await endCancelled({
      settings,
      createSent: true,
      deployment: { id: 1, number: 77, target: 'production' },
      build: { number: 5, status: 'running' },
    })
    expect(failure()).toBe(
      'Cancelled: deployment 77 of octo-org/app was created and its build #5 was running',
    )
    expect(core.outputs()).toMatchObject({ number: '77', 'build-number': '5', 'build-status': 'running' })
    expect(summaryHtml()).toContain('Cancelled:')
  })

  it('says nothing was created when the create had not been sent', async () => {
    await endCancelled({ settings })
    expect(failure()).toBe(
      'Cancelled before the create request was sent: no deployment of octo-org/app was created',
    )
  })

  it('says what it was reading when it follows an existing deployment, and that nothing was created', async () => {
    await endCancelled({ settings: { ...settings, deployment: 4242 } })
    expect(failure()).toBe('Cancelled while reading deployment 4242 of octo-org/app; nothing was created')
  })

  it('fails without inputs too', async () => {
    await endCancelled(undefined)
    expect(failure()).toBe('Cancelled before the inputs were read; nothing was sent to Vela')
  })
})
