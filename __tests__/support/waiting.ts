import { afterAll, beforeAll } from '@jest/globals'
import { FakeVela, type BuildPlan, type RepoOptions } from '../../fake-vela/index.js'
import { runAction, type ActionRun, type RunOptions } from '../../fake-runner/run-action.js'

// What the end-to-end tests share: fresh repositories, and for the tests of waiting (split into
// wait*.test.ts files so that jest's workers run them side by side, each with its own server) a server and
// a run that waits.

export const PAT = 'ghp_e2eWaitPersonalAccessToken00000000000'
export const SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'

/**
 * The set-up of a file of waiting tests: a fake Vela with the user octocat, who also has the personal access
 * token PAT, listening from before the file's tests until after them; a fresh repository with its own build
 * plan; and a run that waits, on this server unless told another.
 */
export function useWaitingVela() {
  const vela = new FakeVela({ webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
  vela.addPat(PAT, 'octocat')
  beforeAll(() => vela.listen())
  afterAll(() => vela.close())
  return {
    vela,
    repoWith: (plan: BuildPlan, options?: RepoOptions) => addRepoWithPlan(vela, plan, options),
    deployAndWait: (repo: string, inputs?: Record<string, string>, server = vela) =>
      deployAndWaitOn(server, repo, inputs),
  }
}

let repoCount = 0

/** A repository of octo-org of its own, its main branch at SHA; returns its name. */
export function addFreshRepo(vela: FakeVela, options: RepoOptions = {}): string {
  const name = `app-${++repoCount}`
  vela.addRepo('octo-org', name, { refs: { 'refs/heads/main': SHA }, ...options })
  return name
}

/** A fresh repository with its own build plan, so tests cannot see each other's builds. */
export function addRepoWithPlan(vela: FakeVela, plan: BuildPlan, options: RepoOptions = {}): string {
  const name = addFreshRepo(vela, options)
  vela.setBuildPlan('octo-org', name, plan)
  return name
}

/** Runs the bundle with wait: true, a 1s poll interval and a 20s wait-timeout unless `inputs` say otherwise. */
export function deployAndWaitOn(
  server: FakeVela,
  repo: string,
  inputs: Record<string, string> = {},
  options: RunOptions = {},
): Promise<ActionRun> {
  return runAction(
    {
      server: server.url,
      token: server.mintToken('octocat'),
      repo,
      wait: 'true',
      'poll-interval': '1s',
      'wait-timeout': '20s',
      ...inputs,
    },
    options,
  )
}

/** A build that is pending, running after 200 ms and `final` after 1.2 s; the webhook comes after 300 ms. */
export const quick = (final: string): BuildPlan => ({
  webhookDelayMs: 300,
  timeline: [
    { status: 'pending', afterMs: 0 },
    { status: 'running', afterMs: 200 },
    { status: final, afterMs: 1_200 },
  ],
})
