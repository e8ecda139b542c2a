import { describe, expect, it, jest } from '@jest/globals'
import {
  BUILD_CANCEL_TIMEOUT_MS,
  BUILD_LOOK_TIMEOUT_MS,
  cancelAbandonedBuild,
} from '../src/follow/cancel-build.js'
import { LAST_WORDS_MS } from '../src/runner/signals.js'
import { BuildFailedError, WaitTimeoutError } from '../src/shared/errors.js'
import type { RunRecord } from '../src/run/run-record.js'
import { CancelledError, NetworkError, VelaHttpError } from '../src/vela/errors.js'
import type { Build, Deployment } from '../src/vela/schemas.js'
import { exampleSettings } from './support/example-settings.js'
import { scriptedVela, type VelaScript } from './support/scripted-vela.js'
import { VirtualClock } from './support/virtual-clock.js'

// What the run does with a build it stops following, and what it then says.

const running: Build = { number: 7, status: 'running' }

/**
 * Vela answers the cancel with `cancel`, and shows the build the script says, if any (default none); `seen`:
 * the run saw build #7 running while it followed the deployment.
 */
function setup(cancel: VelaScript['cancel'], script: VelaScript = {}, seen = true) {
  const clock = new VirtualClock()
  const vela = scriptedVela(clock, { buildAt: Number.POSITIVE_INFINITY, cancel, ...script })
  // Vela v0.26 or newer: the deployment names its linked builds.
  const deployment: Deployment = { id: 3, number: 42, commit: 'abc123', created_at: 1_000, repo: {} }
  const record: RunRecord = {
    settings: exampleSettings({ cancelBuildOnAbort: true }),
    deployment,
    build: seen ? running : undefined,
  }
  const log = { info: jest.fn(), warning: jest.fn() }
  const cancels = () => vela.calls.filter((c) => c.what === 'cancelBuild')
  return {
    record,
    deployment,
    api: vela.api,
    calls: vela.calls,
    cancels,
    log,
    runtime: { log, clock } as never,
  }
}

const httpError = (status: number, error: string) =>
  new VelaHttpError({
    status,
    method: 'DELETE',
    path: '/api/v1/repos/octo-org/app/builds/7/cancel',
    serverMessage: error,
  })

describe('cancelAbandonedBuild', () => {
  it('cancels the build when the job was cancelled, and says so in the error and the log', async () => {
    const { record, deployment, api, cancels, log, runtime } = setup(() =>
      Promise.resolve({ ...running, status: 'canceled' }),
    )
    const error = await cancelAbandonedBuild(
      api,
      record,
      deployment,
      new CancelledError('Cancelled while waiting: build #7 was running'),
      runtime,
    )
    expect(cancels()).toMatchObject([
      { where: 'octo-org/app', number: 7, timeoutMs: BUILD_CANCEL_TIMEOUT_MS },
    ])
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as Error).message).toBe(
      'Cancelled while waiting: build #7 was running. Build #7 was cancelled in Vela',
    )
    expect(record.build?.status).toBe('canceled')
    expect(log.info).toHaveBeenCalledWith('Build #7 was cancelled in Vela')
  })

  it('cancels the build when wait-timeout passed, keeping the timeout error', async () => {
    const { record, deployment, api, runtime } = setup(() =>
      Promise.resolve({ ...running, status: 'canceled' }),
    )
    const error = await cancelAbandonedBuild(
      api,
      record,
      deployment,
      new WaitTimeoutError('Timed out after 3s.'),
      runtime,
    )
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as Error).message).toBe('Timed out after 3s. Build #7 was cancelled in Vela')
  })

  it('sends nothing when the build failed by itself', async () => {
    const { record, deployment, api, cancels, runtime } = setup(() => Promise.resolve(running))
    const thrown = new BuildFailedError('Build #7 ended with status failure')
    expect(await cancelAbandonedBuild(api, record, deployment, thrown, runtime)).toBe(thrown)
    expect(cancels()).toEqual([])
  })

  it.each([
    [
      'Vela cancels only pending or running builds',
      httpError(400, 'found build octo-org/app/7 but its status was success'),
      'Vela did not cancel build #7 (400: found build octo-org/app/7 but its status was success)',
    ],
    [
      'the token may only read',
      httpError(401, "user reader does not have 'write' permissions for the repo octo-org/app"),
      "Vela refused to cancel build #7 (401: user reader does not have 'write' permissions for the repo octo-org/app): cancelling needs write access to octo-org/app",
    ],
    [
      'Vela could not be reached',
      new NetworkError('connection-refused', 'connection refused'),
      'Could not cancel build #7 in Vela: connection refused',
    ],
    [
      'the cancel was sent but not answered in time',
      new NetworkError(
        'timeout',
        'DELETE /api/v1/repos/octo-org/app/builds/7/cancel got no complete answer within 5s',
      ),
      'The cancel of build #7 was sent, not confirmed: DELETE /api/v1/repos/octo-org/app/builds/7/cancel got no complete answer within 5s. Check the build in Vela',
    ],
  ])('says why nothing was cancelled when %s', async (_, failure, said) => {
    const { record, deployment, api, log, runtime } = setup(() => Promise.reject(failure))
    const error = await cancelAbandonedBuild(
      api,
      record,
      deployment,
      new CancelledError('Cancelled while waiting'),
      runtime,
    )
    expect((error as Error).message).toBe(`Cancelled while waiting. ${said}`)
    expect(log.warning).toHaveBeenCalledWith(said)
    expect(record.build?.status).not.toBe('canceled')
  })

  it('records no other build than the one meant, when the answer names another', async () => {
    const { record, deployment, api, log, runtime } = setup(() =>
      Promise.resolve({ number: 8, status: 'canceled' }),
    )
    const error = await cancelAbandonedBuild(
      api,
      record,
      deployment,
      new CancelledError('Cancelled while waiting'),
      runtime,
    )
    const said =
      'Vela answered the cancel of build #7 with build #8, so whether build #7 was cancelled is not confirmed: check it in Vela'
    expect((error as Error).message).toBe(`Cancelled while waiting. ${said}`)
    expect(log.warning).toHaveBeenCalledWith(said)
    expect(record.build).toEqual(running)
  })
})

describe('cancelAbandonedBuild, when Vela answers with a build not yet canceled', () => {
  it('says what status Vela answered, and warns', async () => {
    const { record, deployment, api, log, runtime } = setup(() =>
      Promise.resolve({ ...running, status: 'running' }),
    )
    await cancelAbandonedBuild(api, record, deployment, new WaitTimeoutError('Timed out after 3s.'), runtime)
    expect(log.warning).toHaveBeenCalledWith('Vela answered the cancel of build #7 with its status running')
    expect(record.build?.status).toBe('running')
  })
})

describe('cancelAbandonedBuild, when no build was seen while following', () => {
  const cancelled = new CancelledError('Cancelled while waiting: no build of deployment 42 had been seen yet')

  it('looks once more, within its own short deadline, and cancels the build it finds', async () => {
    const { record, deployment, api, calls, cancels, log, runtime } = setup(
      () => Promise.resolve({ ...running, status: 'canceled' }),
      { buildAt: 0, timeline: [[0, 'running']] },
      false,
    )
    const error = await cancelAbandonedBuild(api, record, deployment, cancelled, runtime)
    const look = calls.find((c) => c.what === 'getDeployment')
    expect(look).toMatchObject({ where: 'octo-org/app', number: 42, timeoutMs: BUILD_LOOK_TIMEOUT_MS })
    expect(look?.signal).toBeUndefined()
    expect(cancels()).toMatchObject([
      { where: 'octo-org/app', number: 7, timeoutMs: BUILD_CANCEL_TIMEOUT_MS },
    ])
    expect((error as Error).message).toBe(
      'Cancelled while waiting: no build of deployment 42 had been seen yet. Build #7, found on a last look, was cancelled in Vela',
    )
    expect(log.info).toHaveBeenCalledWith('Build #7, found on a last look, was cancelled in Vela')
    expect(record.build).toMatchObject({ number: 7, status: 'canceled' })
    // With the cancel, the look ends before the runner's SIGKILL, 10 s after its first signal.
    expect(BUILD_LOOK_TIMEOUT_MS + BUILD_CANCEL_TIMEOUT_MS).toBeLessThan(LAST_WORDS_MS)
  })

  it('finds a build Vela has not linked yet among the builds of the commit', async () => {
    const { record, deployment, api, cancels, runtime } = setup(
      () => Promise.resolve({ ...running, status: 'canceled' }),
      {
        buildAt: 0,
        timeline: [[0, 'pending']],
        linked: false,
        others: [{ number: 9, status: 'running', deploy_number: 41 }],
      },
      false,
    )
    await cancelAbandonedBuild(api, record, deployment, cancelled, runtime)
    expect(cancels()).toMatchObject([{ where: 'octo-org/app', number: 7 }])
  })

  it('says none was seen, never that none exists, when the last look finds none', async () => {
    const { record, deployment, api, cancels, log, runtime } = setup(
      () => Promise.reject(new Error('not sent')),
      {},
      false,
    )
    const error = await cancelAbandonedBuild(api, record, deployment, cancelled, runtime)
    const said =
      'No build was cancelled: none of deployment 42 was seen, even on a last look; Vela may still start one'
    expect((error as Error).message).toBe(`${cancelled.message}. ${said}`)
    expect(log.warning).toHaveBeenCalledWith(said)
    expect(cancels()).toEqual([])
  })

  it('says the look failed, and that a build may have started, when it could not look', async () => {
    const lookFailed = new NetworkError(
      'timeout',
      'GET /api/v1/deployments/octo-org/app/42 got no complete answer within 2.5s',
    )
    const { record, deployment, api, cancels, log, runtime } = setup(
      () => Promise.reject(new Error('not sent')),
      { fail: (call) => (call.what === 'getDeployment' ? lookFailed : undefined) },
      false,
    )
    await cancelAbandonedBuild(api, record, deployment, cancelled, runtime)
    expect(log.warning).toHaveBeenCalledWith(
      "No build was cancelled: none of deployment 42 was seen, and a last look failed (GET /api/v1/deployments/octo-org/app/42 got no complete answer within 2.5s); Vela may have started one or start one later: check the deployment's builds in Vela",
    )
    expect(cancels()).toEqual([])
  })
})
