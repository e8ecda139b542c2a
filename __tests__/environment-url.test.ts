import { describe, expect, it, jest } from '@jest/globals'
import { GitHubHttpError, GitHubTimeoutError } from '../src/github/errors.js'
import {
  postEnvironmentUrl,
  VELA_STATUS_POLL_MS,
  VELA_STATUS_WAIT_MS,
  type DeploymentStatus,
  type DeploymentStatuses,
  type NewDeploymentStatus,
} from '../src/github/environment-url.js'
import { CancelledError } from '../src/vela/errors.js'
import { VirtualClock } from './support/virtual-clock.js'

const request = {
  deploymentId: 4242,
  environmentUrl: 'https://app.example.com/',
  buildUrl: 'https://vela.example.com/octo/web/7',
  buildNumber: 7,
  target: 'production',
}

/** GitHub's statuses of one deployment; Vela's final status appears after `velaAfter` lists, if ever. */
function github(options: { velaAfter?: number; fail?: (call: 'list' | 'create') => Error | undefined } = {}) {
  const posted: NewDeploymentStatus[] = []
  const calls: string[] = []
  let lists = 0
  const statuses: DeploymentStatuses = {
    repository: 'octo/web',
    list(deploymentId) {
      calls.push(`list ${deploymentId}`)
      const failure = options.fail?.('list')
      if (failure) return Promise.reject(failure)
      lists++
      const vela: DeploymentStatus[] =
        options.velaAfter !== undefined && lists > options.velaAfter ? [{ state: 'success' }] : []
      return Promise.resolve([...vela, { state: 'pending' }])
    },
    create(deploymentId, status) {
      calls.push(`create ${deploymentId}`)
      const failure = options.fail?.('create')
      if (failure) return Promise.reject(failure)
      posted.push(status)
      return Promise.resolve()
    },
  }
  return { statuses, posted, calls }
}

function runtime() {
  const log = {
    info: jest.fn(),
    warning: jest.fn(),
    debug: jest.fn(),
    startGroup: jest.fn(),
    endGroup: jest.fn(),
  }
  return { log, clock: new VirtualClock() }
}

describe('postEnvironmentUrl', () => {
  it("posts once, after Vela's own final status has appeared, with the URL, the build link and the target", async () => {
    const { statuses, posted, calls } = github({ velaAfter: 2 })
    const { log, clock } = runtime()
    await expect(
      postEnvironmentUrl(statuses, request, new AbortController().signal, { log, clock }),
    ).resolves.toBe(true)
    expect(calls).toEqual(['list 4242', 'list 4242', 'list 4242', 'create 4242'])
    expect(clock.sleeps).toEqual([VELA_STATUS_POLL_MS, VELA_STATUS_POLL_MS])
    expect(posted).toEqual([
      {
        state: 'success',
        environment_url: 'https://app.example.com/',
        log_url: 'https://vela.example.com/octo/web/7',
        environment: 'production',
        description: 'Deployed by Vela build #7',
      },
    ])
    expect(log.warning).not.toHaveBeenCalled()
    expect(log.info).toHaveBeenCalledTimes(1)
    expect(log.info).toHaveBeenCalledWith(
      'GitHub deployment 4242 of octo/web now shows View deployment: https://app.example.com/',
    )
  })

  it("posts without waiting when Vela's status is already there, and sends no log link the build lacks", async () => {
    const { statuses, posted, calls } = github({ velaAfter: 0 })
    const { log, clock } = runtime()
    await postEnvironmentUrl(statuses, { ...request, buildUrl: undefined }, new AbortController().signal, {
      log,
      clock,
    })
    expect(calls).toEqual(['list 4242', 'create 4242'])
    expect(posted[0]).not.toHaveProperty('log_url')
  })

  it("gives Vela's status a bounded time, then posts anyway and warns that a later one would hide the URL", async () => {
    const { statuses, posted } = github()
    const { log, clock } = runtime()
    const started = clock.now()
    await expect(
      postEnvironmentUrl(statuses, request, new AbortController().signal, { log, clock }),
    ).resolves.toBe(true)
    expect(clock.now() - started).toBeLessThanOrEqual(VELA_STATUS_WAIT_MS)
    expect(posted).toHaveLength(1)
    expect(log.warning).toHaveBeenCalledWith(
      'Vela had not posted its final status on GitHub deployment 4242 of octo/web within 10s; the environment URL was posted anyway, but a status Vela posts later would hide it',
    )
  })

  it.each([
    [
      403,
      'Resource not accessible by integration',
      "give the job 'permissions: deployments: write', or pass a 'github-token' that may write deployments",
    ],
    [
      404,
      'Not Found',
      "the token cannot see GitHub deployment 4242 of octo/web; for another repository, pass a 'github-token' with access to it",
    ],
    [401, 'Bad credentials', "the 'github-token' input is not a valid token"],
  ])('turns GitHub answering %i into one warning that says what to change', async (status, said, change) => {
    const { statuses, posted } = github({
      velaAfter: 0,
      fail: (call) => (call === 'create' ? new GitHubHttpError(status, said) : undefined),
    })
    const { log, clock } = runtime()
    await expect(
      postEnvironmentUrl(statuses, request, new AbortController().signal, { log, clock }),
    ).resolves.toBe(false)
    expect(posted).toEqual([])
    expect(log.warning.mock.calls).toEqual([
      [
        `The deploy succeeded, but GitHub was not given the environment URL (GitHub answered ${status}: ${said}): ${change}`,
      ],
    ])
    expect(log.info).not.toHaveBeenCalled()
  })

  it('turns a timeout, a cancel or an unreachable GitHub into one warning', async () => {
    for (const [error, said] of [
      [new GitHubTimeoutError(30_000), 'GitHub did not answer within 30s'],
      [new CancelledError(), 'the run was cancelled'],
      [new Error('could not reach GitHub at https://api.github.com: ECONNREFUSED'), 'could not reach GitHub'],
    ] as const) {
      const { statuses } = github({ fail: () => error })
      const { log, clock } = runtime()
      await postEnvironmentUrl(statuses, request, new AbortController().signal, { log, clock })
      expect(log.warning).toHaveBeenCalledTimes(1)
      expect(log.warning.mock.calls[0]?.[0]).toContain(said)
    }
  })

  it("shows GitHub's answer inert in the log", async () => {
    const { statuses } = github({ fail: () => new GitHubHttpError(403, 'no\n::error::injected') })
    const { log, clock } = runtime()
    await postEnvironmentUrl(statuses, request, new AbortController().signal, { log, clock })
    expect(log.warning.mock.calls[0]?.[0]).not.toMatch(/\n|^::/m)
  })
})
