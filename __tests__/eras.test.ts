import { describe, expect, it } from '@jest/globals'
import { type BuildPlan, type RepoOptions } from '../fake-vela/index.js'
import { inProcessAction } from './support/in-process-action.js'
import { ERAS, useEraServers } from './support/eras.js'

// run() in-process against each era of Vela the fake models (docs/vela-api.md §1.10): following an existing
// deployment, a number Vela does not have, the no-build diagnosis and the early warnings; and the quirks of
// v0.26+ that the wait rides out or names. Builds finish as soon as Vela creates them, so a wait takes a poll
// or two (before v0.26, a build is listed only once the second it was created in has passed, as in Vela).
// e2e/eras.test.ts runs the bundle through the same eras: a create, its wait and the recovery after a lost
// answer.

const action = await inProcessAction()
const { core, failure } = action

const ORG = 'octo-org'
const UI = 'https://vela-ui.test'
const FINISHED: BuildPlan = { webhookDelayMs: 0, timeline: [{ status: 'success', afterMs: 0 }] }

const server = useEraServers(action.clock.now)

let repoCount = 0

describe.each(ERAS)('Vela $era', ({ era }) => {
  const vela = () => server(era)

  /** A fresh repository with its own build plan, so tests cannot see each other's builds. */
  function repoWith(plan: BuildPlan, options: RepoOptions = {}): string {
    const name = `app-${++repoCount}`
    vela().addRepo(ORG, name, options)
    vela().setBuildPlan(ORG, name, plan)
    return name
  }

  const deploy = (repo: string, inputs: Record<string, string> = {}) =>
    action.run(vela(), {
      server: vela().url,
      token: vela().mintToken('octocat'),
      org: ORG,
      repo,
      'ui-url': UI,
      'poll-interval': '1s',
      ...inputs,
    })

  /** The build the fake created for the deployment the run names, found the way that era ties them. */
  function ourBuild(repo: string) {
    const outputs = core.outputs()
    return vela()
      .buildsOf(ORG, repo)
      .find((b) => (era === 'v0.22' ? b.source === outputs.url : b.deploy_number === Number(outputs.number)))
  }

  it('follows a deployment another job created, and creates nothing', async () => {
    const repo = repoWith(FINISHED)
    await deploy(repo, { wait: 'false' })
    const created = core.outputs()

    core.setOutput.mockClear()
    const requests = await deploy(repo, { deployment: created.number ?? '' })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(vela().githubDeploymentsOf(ORG, repo)).toHaveLength(1)
    expect(core.info).toHaveBeenCalledWith(
      expect.stringContaining(`Following existing deployment ${created.number} of ${ORG}/${repo}`),
    )
    expect(core.outputs()).toMatchObject({
      number: created.number,
      id: created.id,
      url: created.url,
      'build-number': String(ourBuild(repo)?.number),
      'build-status': 'success',
    })
  })

  it('adopts the deployment the webhook stored before the create could, its parameters kept or not', async () => {
    // v0.23+ answer the create 500 (the row exists), and v0.23–v0.25 keep no parameters on that row;
    // v0.22 stores no deployments, so there is no race.
    const repo = repoWith({ ...FINISHED, webhookBeforeInsert: era !== 'v0.22' })
    await deploy(repo, { ref: 'main', payload: 'region: eu-west-1' })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(vela().githubDeploymentsOf(ORG, repo)).toHaveLength(1)
    expect(core.outputs()).toMatchObject({
      number: String(
        vela().githubDeploymentsOf(ORG, repo)[0]?.number ?? vela().githubDeploymentsOf(ORG, repo)[0]?.id,
      ),
      'build-status': 'success',
    })
  })

  it('follows the newest of several builds of the deployment, and says which and why', async () => {
    // The first build failed, and GitHub delivered the webhook again: a second build of the deployment.
    // A later job follows the deployment.
    const repo = repoWith({ ...FINISHED, redelivered: true })
    await deploy(repo, { wait: 'false' })
    action.clock.time += 2_000
    await deploy(repo, { deployment: core.outputs().number ?? '' })

    expect(core.setFailed).not.toHaveBeenCalled()
    const builds = vela()
      .buildsOf(ORG, repo)
      .map((b) => b.number)
      .sort((a, b) => b - a)
    const [newest, first] = builds
    expect(builds).toHaveLength(2)
    expect(core.outputs()).toMatchObject({ 'build-number': String(newest), 'build-status': 'success' })
    expect(core.info).toHaveBeenCalledWith(
      `Deployment ${core.outputs().number} has 2 builds (#${newest}, #${first}); following #${newest}, the newest: a webhook delivered again, or a build restarted in Vela, starts another build of the same deployment`,
    )
  })

  it('fails at once, naming it, for a deployment number Vela does not have', async () => {
    const repo = repoWith(FINISHED)
    const requests = await deploy(repo, { deployment: '424242' })

    expect(failure()).toContain(`Input 'deployment': Vela has no deployment 424242 of ${ORG}/${repo}`)
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(vela().githubDeploymentsOf(ORG, repo)).toHaveLength(0)
  })

  it('explains a missing build with the webhook record, warning early where Vela says enough', async () => {
    const repo = repoWith({ webhookDelayMs: 0 }, { allowDeploymentCreated: false })
    await deploy(repo, { 'wait-timeout': '1s' })

    expect(failure()).toContain(
      `status skipped: unable to process webhook: ${ORG}/${repo} does not have deployment:created event enabled`,
    )
    // Only v0.26+ answers the create with the repository's settings: it warns before the wait starts, and
    // the failure says it again.
    const warning = 'has the deployment event disabled in Vela'
    const warned = core.warning.mock.calls.some(([line]) => String(line).includes(warning))
    expect(warned).toBe(era === 'v0.26+')
    if (era === 'v0.26+') {
      const printed = action.printed()
      expect(printed.indexOf(warning)).toBeLessThan(printed.indexOf('Waiting up to'))
      expect(failure()).toContain(warning)
    }
  })
})

describe("Vela's quirks", () => {
  const vela = () => server('v0.26+')

  function repoWith(plan: BuildPlan): string {
    const name = `app-${++repoCount}`
    vela().addRepo(ORG, name)
    vela().setBuildPlan(ORG, name, plan)
    return name
  }

  const deployAndWait = (repo: string) =>
    action.run(vela(), {
      server: vela().url,
      token: vela().mintToken('octocat'),
      org: ORG,
      repo,
      'poll-interval': '1s',
      'wait-timeout': '60s',
    })

  it("rides out 401s from Vela's permission check while GitHub fails behind it", async () => {
    // A build that runs for a moment, so the wait reads it again.
    const repo = repoWith({
      webhookDelayMs: 0,
      timeline: [
        { status: 'running', afterMs: 0 },
        { status: 'success', afterMs: 1_000 },
      ],
    })
    vela().injectFault(
      { method: 'GET', path: new RegExp(`/repos/${ORG}/${repo}/builds/\\d+$`) },
      {
        kind: 'status',
        status: 401,
        body: `{"error":"user octocat does not have 'read' permissions for repo ${ORG}/${repo}"}`,
      },
      2,
    )
    await deployAndWait(repo)

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()['build-status']).toBe('success')
    expect(action.printed().match(/Vela read failed \(.*401.*\); retrying/g)).toHaveLength(2)
  })

  it('fails after a few HTML pages where JSON belongs, saying what came', async () => {
    const repo = repoWith({ webhookDelayMs: 0, timeline: [{ status: 'running', afterMs: 0 }] })
    vela().injectFault(
      { method: 'GET', path: new RegExp(`/repos/${ORG}/${repo}/builds/\\d+$`) },
      {
        kind: 'status',
        status: 200,
        contentType: 'text/html',
        body: '<html><body>Sign in to continue</body></html>',
      },
      100,
    )
    await deployAndWait(repo)

    expect(failure()).toMatch(
      new RegExp(
        `^Vela's answer was not what its API returns, 3 times in a row: GET /api/v1/repos/${ORG}/${repo}/builds/\\d+ answered 200 with a web page \\(HTTP 200, text/html, body starts "Sign in to continue"\\)`,
      ),
    )
  })
})
