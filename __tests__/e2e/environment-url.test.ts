import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { startGitHubStandIn, type GitHubDeployment, type GitHubStandIn } from '../../github-standin/index.js'
import type { ActionRun } from '../../fake-runner/run-action.js'
import { addRepoWithPlan, deployAndWaitOn, quick, useWaitingVela } from '../support/waiting.js'

// `environment-url`, end to end: the bundle against a fake Vela and a GitHub stand-in at a GitHub Enterprise
// Server's API address (`…/api/v3`). The fake Vela makes no GitHub deployment of its own, so each test makes
// the one Vela would have made, with the number Vela answered, and posts the status Vela would post.

const { vela } = useWaitingVela()
let github: GitHubStandIn
let writer: string
let reader: string

beforeAll(async () => {
  github = await startGitHubStandIn('vela-client-id')
  github.addUser('deploy-bot')
  github.addUser('read-only')
  writer = github.addPersonalToken('deploy-bot')
  reader = github.addPersonalToken('read-only')
})

afterAll(async () => {
  await github.close()
})

const URL = 'https://web-app.example.com/?from=vela'

/** A repository in both, and a deploy of it that asks for `environment-url` through `token`. */
function deployWithUrl(plan = quick('success'), inputs: Record<string, string> = {}, token = writer) {
  const repo = addRepoWithPlan(vela, plan)
  github.addRepo('octo-org', repo, {
    pipeline: '',
    permissions: { 'deploy-bot': 'write', 'read-only': 'read' },
  })
  const run = deployAndWaitOn(
    vela,
    repo,
    { 'environment-url': URL, 'github-token': token, ...inputs },
    { env: { GITHUB_API_URL: `${github.url}/api/v3/` } },
  )
  return { repo, run }
}

/** The GitHub deployment Vela would have made for the repository's deployment, once the action created it. */
async function githubDeploymentOf(repo: string): Promise<GitHubDeployment> {
  for (;;) {
    const number = vela.deploymentsOf('octo-org', repo)[0]?.number
    if (number !== undefined) return github.addDeployment('octo-org', repo, number, 'production', 'octocat')
    await sleep(20)
  }
}

const statusRequests = (repo: string) =>
  github.requests.filter((r) => r.path.startsWith(`/api/v3/repos/octo-org/${repo}/deployments/`))

async function untilRequested(repo: string, count: number): Promise<void> {
  while (statusRequests(repo).length < count) await sleep(20)
}

function warnings(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::warning::'))
}

describe('environment-url', () => {
  it.concurrent(
    "posts it once, after Vela's final status, so GitHub's latest status carries the URL",
    async () => {
      const { repo, run } = deployWithUrl()
      const deployment = await githubDeploymentOf(repo)
      github.postStatus(deployment, 'octocat', { state: 'pending' })
      await untilRequested(repo, 2) // the action has looked twice and found no final status yet
      github.postStatus(deployment, 'octocat', { state: 'success', log_url: 'vela' })
      const result = await run

      expect(result.code).toBe(0)
      const posts = statusRequests(repo).filter((r) => r.method === 'POST')
      expect(posts.map((r) => [r.method, r.status])).toEqual([['POST', 201]])
      const latest = deployment.statuses.at(-1)
      const [build] = vela.buildsOf('octo-org', repo)
      expect(deployment.statuses.map((s) => s.state)).toEqual(['pending', 'success', 'success'])
      expect(latest).toMatchObject({
        state: 'success',
        environment_url: URL,
        log_url: `https://vela-ui.test/octo-org/${repo}/${build?.number}`,
        environment: 'production',
        description: `Deployed by Vela build #${build?.number}`,
        creator: 'deploy-bot',
      })
      expect(result.outputs['environment-url']).toBe(URL)
      expect(result.summary).toContain(`<a href="${URL.replace('&', '&amp;')}">View deployment</a>`)
      expect(result.stdout.match(/now shows View deployment/g)).toHaveLength(1)
      expect(warnings(result)).toEqual([])
    },
  )

  it.concurrent('warns once, and passes, when the token may not write deployments (403)', async () => {
    const { repo, run } = deployWithUrl(quick('success'), {}, reader)
    const deployment = await githubDeploymentOf(repo)
    github.postStatus(deployment, 'octocat', { state: 'success' })
    const result = await run
    expect(result.code).toBe(0)
    expect(warnings(result)).toEqual([
      "::warning::The deploy succeeded, but GitHub was not given the environment URL (GitHub answered 403: Resource not accessible by personal access token): give the job 'permissions: deployments: write', or pass a 'github-token' that may write deployments",
    ])
    expect(result.outputs).not.toHaveProperty('environment-url')
    expect(result.summary).not.toContain('View deployment')
  })

  it.concurrent(
    'warns once, and passes, when GitHub has no such deployment for the token (404)',
    async () => {
      const { repo, run } = deployWithUrl()
      const result = await run
      expect(result.code).toBe(0)
      const number = vela.deploymentsOf('octo-org', repo)[0]?.number
      expect(warnings(result)).toEqual([
        `::warning::The deploy succeeded, but GitHub was not given the environment URL (GitHub answered 404: Not Found): the token cannot see GitHub deployment ${number} of octo-org/${repo}; for another repository, pass a 'github-token' with access to it`,
      ])
    },
  )

  it.concurrent('warns once, and passes, when GitHub does not answer within request-timeout', async () => {
    const repo = addRepoWithPlan(vela, quick('success'))
    github.addRepo('octo-org', repo, { pipeline: '', statusesHang: true })
    const result = await deployAndWaitOn(
      vela,
      repo,
      { 'environment-url': URL, 'github-token': writer, 'request-timeout': '1s' },
      { env: { GITHUB_API_URL: `${github.url}/api/v3` } },
    )
    expect(result.code).toBe(0)
    expect(warnings(result)).toEqual([
      '::warning::The deploy succeeded, but GitHub was not given the environment URL: GitHub did not answer within 1s',
    ])
  })

  it.concurrent('asks GitHub nothing when environment-url is not set', async () => {
    const repo = addRepoWithPlan(vela, quick('success'))
    const result = await deployAndWaitOn(
      vela,
      repo,
      { 'github-token': writer },
      {
        env: { GITHUB_API_URL: `${github.url}/api/v3` },
      },
    )
    expect(result.code).toBe(0)
    expect(statusRequests(repo)).toEqual([])
    expect(result.outputs).not.toHaveProperty('environment-url')
  })

  it.concurrent('refuses it without waiting, before anything is sent', async () => {
    const repo = addRepoWithPlan(vela, quick('success'))
    const result = await deployAndWaitOn(vela, repo, { 'environment-url': URL, wait: 'false' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      "::error::Input 'environment-url': is posted on GitHub once the build succeeded, which the action sees only when it waits; set 'wait' to true",
    )
    expect(vela.deploymentsOf('octo-org', repo)).toEqual([])
  })
})
