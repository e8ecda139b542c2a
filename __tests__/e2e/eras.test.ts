import { describe, expect, it } from '@jest/globals'
import { type BuildPlan, type RepoOptions, type VelaEra } from '../../fake-vela/index.js'
import { type ActionRun } from '../../fake-runner/run-action.js'
import { addRepoWithPlan, deployAndWaitOn, quick, SHA } from '../support/waiting.js'
import { ERAS, useEraServers } from '../support/eras.js'

// The bundle against each era of Vela the fake models (docs/vela-api.md §1.10): create, outputs and the wait,
// and recovery after a lost answer. Each era has its own server; each test its own repository. The other
// scenarios of each era run in-process in eras.test.ts.

const server = useEraServers()

const repoWith = (era: VelaEra, plan: BuildPlan, options?: RepoOptions) =>
  addRepoWithPlan(server(era), plan, options)
const deployAndWait = (era: VelaEra, repo: string, inputs: Record<string, string> = {}) =>
  deployAndWaitOn(server(era), repo, { 'ui-url': 'https://vela-ui.test', ...inputs })

/** The build the fake created for the deployment the run names, found the way that era ties them. */
function ourBuild(era: VelaEra, repo: string, run: ActionRun) {
  return server(era)
    .buildsOf('octo-org', repo)
    .find((b) =>
      era === 'v0.22' ? b.source === run.outputs.url : b.deploy_number === Number(run.outputs.number),
    )
}

describe.each(ERAS)('Vela $era', ({ era, release }) => {
  it.concurrent(
    'creates, waits for our build among others on the commit, and names the release',
    async () => {
      const repo = repoWith(era, { ...quick('success'), extraBuildsOnCommit: 2 })
      const run = await deployAndWait(era, repo)
      expect(run.code).toBe(0)
      const [stored] = server(era).deploymentsOf('octo-org', repo)
      // Before v0.23 there is no number: the id is GitHub's, and names the deployment.
      expect(run.outputs.number).toBe(String(stored?.number ?? stored?.id))
      expect(run.outputs.id).toBe(String(stored?.id))
      expect(run.outputs).toMatchObject({ commit: SHA, target: 'production', url: stored?.url })
      const ours = ourBuild(era, repo, run)
      expect(server(era).buildsOf('octo-org', repo)).toHaveLength(3)
      expect(run.outputs).toMatchObject({
        'build-number': String(ours?.number),
        'build-status': 'success',
        'build-url': `https://vela-ui.test/octo-org/${repo}/${ours?.number}`,
      })
      expect(run.summary).toContain(`<tr><th align="left">Vela server</th><td>${release}</td></tr>`)
    },
  )

  it.concurrent('finds the deployment after its answer was lost, and waits for its build', async () => {
    // v0.23+: the webhook stores the row first, and the create answers 500;
    // v0.22 stores nothing, so the answer is lost on the way instead.
    const repo = repoWith(
      era,
      era === 'v0.22' ? quick('success') : { ...quick('success'), webhookBeforeInsert: true },
    )
    if (era === 'v0.22') {
      server(era).injectFault(
        { method: 'POST', path: new RegExp(`/deployments/octo-org/${repo}$`) },
        { kind: 'reset-after-handling' },
      )
    }
    const run = await deployAndWait(era, repo, { ref: 'main' })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /::warning::The create request's answer was lost \(.+\), but Vela holds deployment \d+/,
    )
    expect(server(era).githubDeploymentsOf('octo-org', repo)).toHaveLength(1)
    expect(run.outputs['build-number']).toBe(String(ourBuild(era, repo, run)?.number))
    expect(run.outputs['build-status']).toBe('success')
  })
})
