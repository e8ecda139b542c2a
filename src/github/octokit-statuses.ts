// The only module that loads Octokit, and it is loaded only when `environment-url` is set: a run without it
// starts as fast as before.
import { getOctokit } from '@actions/github'
import { fetch } from 'undici'
import type { Connections } from '../vela/proxy.js'
import { CancelledError } from '../vela/errors.js'
import type { DeploymentStatuses } from './environment-url.js'
import { GitHubHttpError, GitHubTimeoutError } from './errors.js'

export interface GitHubConnection {
  token: string
  /** GitHub's REST address: `https://api.github.com`, or a GitHub Enterprise Server's `…/api/v3`. */
  apiUrl: string
  owner: string
  repo: string
  /** Deadline of each request, whatever the connection does. */
  timeoutMs: number
  /** The run's connection pools: the requests go through the same proxy settings as the calls to Vela. */
  connections: Connections
}

export function octokitDeploymentStatuses(connection: GitHubConnection): DeploymentStatuses {
  const { owner, repo, token, apiUrl, timeoutMs, connections } = connection
  const octokit = getOctokit(token, { baseUrl: apiUrl, request: { fetch: fetchThrough(connections) } })
  const within = <T>(signal: AbortSignal, send: (signal: AbortSignal) => Promise<T>) =>
    withinDeadline(timeoutMs, signal, apiUrl, send)
  return {
    repository: `${owner}/${repo}`,
    list: (deploymentId, signal) =>
      within(signal, async (request) => {
        const answer = await octokit.rest.repos.listDeploymentStatuses({
          owner,
          repo,
          deployment_id: deploymentId,
          per_page: 100,
          request: { signal: request },
        })
        return answer.data.map(({ state }) => ({ state }))
      }),
    create: (deploymentId, status, signal) =>
      within(signal, async (request) => {
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: deploymentId,
          ...status,
          request: { signal: request },
        })
      }),
  }
}

/** Octokit's `fetch`, sent through the run's pool for the address: directly, or through its proxy. */
function fetchThrough(connections: Connections): typeof globalThis.fetch {
  const send = (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input)
    return fetch(url, { ...(init as object), dispatcher: connections.route(url).dispatcher })
  }
  return send
}

/**
 * Ends the request at its deadline or at a cancel even if the HTTP stack ignores the abort (a proxy agent
 * that keeps re-driving a refused tunnel does), and names what went wrong.
 */
async function withinDeadline<T>(
  timeoutMs: number,
  cancel: AbortSignal,
  apiUrl: string,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (cancel.aborted) throw new CancelledError()
  const request = new AbortController()
  let stop: (error: Error) => void = () => undefined
  const stopped = new Promise<never>((_, reject) => (stop = reject))
  const timer = setTimeout(() => {
    stop(new GitHubTimeoutError(timeoutMs))
  }, timeoutMs)
  const onCancel = () => {
    stop(new CancelledError())
  }
  cancel.addEventListener('abort', onCancel, { once: true })
  try {
    return await Promise.race([send(request.signal), stopped])
  } catch (error) {
    throw asGitHubError(error, apiUrl)
  } finally {
    clearTimeout(timer)
    cancel.removeEventListener('abort', onCancel)
    request.abort()
  }
}

/** Octokit's errors carry GitHub's answer when there was one; without one, the request never got an answer. */
function asGitHubError(error: unknown, apiUrl: string): Error {
  if (error instanceof CancelledError || error instanceof GitHubTimeoutError) return error
  const { status, response, message } = (error ?? {}) as {
    status?: unknown
    response?: { data?: unknown }
    message?: unknown
  }
  if (typeof status === 'number' && response !== undefined) {
    const said = (response.data as { message?: unknown } | undefined)?.message
    return new GitHubHttpError(status, typeof said === 'string' ? said : String(message), { cause: error })
  }
  return new Error(`could not reach GitHub at ${apiUrl}: ${String(message ?? error)}`, { cause: error })
}
