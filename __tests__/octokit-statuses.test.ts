import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { GitHubHttpError, GitHubTimeoutError } from '../src/github/errors.js'
import { octokitDeploymentStatuses, type GitHubConnection } from '../src/github/octokit-statuses.js'
import { CancelledError } from '../src/vela/errors.js'
import { Connections } from '../src/vela/proxy.js'
import { closedPort, startProxy } from './support/network.js'
import { startGitHubStandIn, type GitHubStandIn } from '../github-standin/index.js'

// The Octokit side of `environment-url`, in-process against the GitHub stand-in over real HTTP.

let github: GitHubStandIn
let connection: GitHubConnection
const connections = Connections.fromEnv({})

beforeAll(async () => {
  github = await startGitHubStandIn('vela-client-id')
  github.addRepo('octo-org', 'web', { pipeline: '' })
  github.addRepo('octo-org', 'silent', { pipeline: '', statusesHang: true })
  connection = {
    token: github.addPersonalToken('octo-org'),
    apiUrl: `${github.url}/api/v3`,
    owner: 'octo-org',
    repo: 'web',
    timeoutMs: 5_000,
    connections,
  }
})

afterAll(async () => {
  await connections.close()
  await github.close()
})

const live = () => new AbortController().signal

describe('octokitDeploymentStatuses', () => {
  it("lists a deployment's statuses newest first and posts a new one", async () => {
    const deployment = github.addDeployment('octo-org', 'web', 501, 'production')
    github.postStatus(deployment, 'octocat', { state: 'pending' })
    github.postStatus(deployment, 'octocat', { state: 'success' })
    const statuses = octokitDeploymentStatuses(connection)
    expect(statuses.repository).toBe('octo-org/web')
    await expect(statuses.list(501, live())).resolves.toEqual([{ state: 'success' }, { state: 'pending' }])
    const status = {
      state: 'success' as const,
      environment_url: 'https://web.example.com',
      log_url: 'https://vela.example.com/octo-org/web/1',
      environment: 'production',
      description: 'Deployed by Vela build #1',
    }
    await statuses.create(501, status, live())
    expect(deployment.statuses.at(-1)).toMatchObject({ ...status, creator: 'octo-org' })
  })

  it("keeps GitHub's status and message", async () => {
    const statuses = octokitDeploymentStatuses(connection)
    await expect(statuses.list(999, live())).rejects.toEqual(new GitHubHttpError(404, 'Not Found'))
    const refused = octokitDeploymentStatuses({ ...connection, token: 'ghp_unknown' })
    await expect(refused.list(501, live())).rejects.toMatchObject({ status: 401, message: 'Bad credentials' })
  })

  it('ends a request GitHub never answers at its deadline', async () => {
    github.addDeployment('octo-org', 'silent', 502, 'production')
    const statuses = octokitDeploymentStatuses({ ...connection, repo: 'silent', timeoutMs: 300 })
    await expect(statuses.list(502, live())).rejects.toBeInstanceOf(GitHubTimeoutError)
  })

  it('ends it at a cancel, before or during the request', async () => {
    const statuses = octokitDeploymentStatuses({ ...connection, repo: 'silent' })
    await expect(statuses.list(502, AbortSignal.abort())).rejects.toBeInstanceOf(CancelledError)
    const cancel = new AbortController()
    setTimeout(() => {
      cancel.abort()
    }, 100)
    await expect(statuses.list(502, cancel.signal)).rejects.toBeInstanceOf(CancelledError)
  })

  it('goes through the proxy the run uses for Vela', async () => {
    github.addDeployment('octo-org', 'web', 503, 'production')
    const proxy = await startProxy()
    const proxied = Connections.fromEnv({ HTTP_PROXY: proxy.url })
    try {
      const statuses = octokitDeploymentStatuses({
        ...connection,
        connections: proxied,
      })
      await expect(statuses.list(503, live())).resolves.toEqual([])
      expect(proxy.seen).toEqual([
        `GET ${github.url}/api/v3/repos/octo-org/web/deployments/503/statuses?per_page=100`,
      ])
    } finally {
      await proxied.close()
      await proxy.close()
    }
  })

  it('names the address it could not reach, never as an answer from GitHub', async () => {
    const port = await closedPort()
    const statuses = octokitDeploymentStatuses({ ...connection, apiUrl: `http://127.0.0.1:${port}` })
    const failure = statuses.list(501, live())
    await expect(failure).rejects.toThrow(`could not reach GitHub at http://127.0.0.1:${port}: `)
    await expect(failure).rejects.not.toBeInstanceOf(GitHubHttpError)
  })
})
