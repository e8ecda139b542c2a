import { describe, expect, it, jest } from '@jest/globals'
import { BUILD_CANCEL_TIMEOUT_MS, cancelAbandonedBuild } from '../src/follow/cancel-build.js'
import { BuildFailedError, WaitTimeoutError } from '../src/shared/errors.js'
import type { RunRecord } from '../src/run/run-record.js'
import type { VelaApi } from '../src/vela/api.js'
import { CancelledError, NetworkError, VelaHttpError } from '../src/vela/errors.js'
import type { Build } from '../src/vela/schemas.js'
import { exampleSettings } from './support/example-settings.js'

// What the run does with a build it stops following, and what it then says.

const running: Build = { number: 7, status: 'running' }

function setup(answer: () => Promise<Build>, options: { build?: Build } = {}) {
  const record: RunRecord = {
    settings: exampleSettings({ cancelBuildOnAbort: true }),
    build: 'build' in options ? options.build : running,
  }
  const api = { cancelBuild: jest.fn<VelaApi['cancelBuild']>(answer) }
  const log = { info: jest.fn(), warning: jest.fn() }
  return { record, api, log, runtime: { log } as never }
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
    const { record, api, log, runtime } = setup(() => Promise.resolve({ ...running, status: 'canceled' }))
    const error = await cancelAbandonedBuild(
      api,
      record,
      new CancelledError('Cancelled while waiting: build #7 was running'),
      runtime,
    )
    expect(api.cancelBuild).toHaveBeenCalledWith('octo-org', 'app', 7, { timeoutMs: BUILD_CANCEL_TIMEOUT_MS })
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as Error).message).toBe(
      'Cancelled while waiting: build #7 was running. Build #7 was cancelled in Vela',
    )
    expect(record.build?.status).toBe('canceled')
    expect(log.info).toHaveBeenCalledWith('Build #7 was cancelled in Vela')
  })

  it('cancels the build when wait-timeout passed, keeping the timeout error', async () => {
    const { record, api, runtime } = setup(() => Promise.resolve({ ...running, status: 'canceled' }))
    const error = await cancelAbandonedBuild(
      api,
      record,
      new WaitTimeoutError('Timed out after 3s.'),
      runtime,
    )
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as Error).message).toBe('Timed out after 3s. Build #7 was cancelled in Vela')
  })

  it('sends nothing when the build failed by itself', async () => {
    const { record, api, runtime } = setup(() => Promise.resolve(running))
    const thrown = new BuildFailedError('Build #7 ended with status failure')
    expect(await cancelAbandonedBuild(api, record, thrown, runtime)).toBe(thrown)
    expect(api.cancelBuild).not.toHaveBeenCalled()
  })

  it.each([
    [
      'Vela had not created the build',
      undefined,
      'No build was cancelled: Vela had not created it yet, and may still start it for this deployment',
    ],
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
  ])('says why nothing was cancelled when %s', async (_, failure, said) => {
    const { record, api, log, runtime } = setup(
      () => Promise.reject(failure ?? new Error('not sent')),
      failure ? {} : { build: undefined },
    )
    const error = await cancelAbandonedBuild(
      api,
      record,
      new CancelledError('Cancelled while waiting'),
      runtime,
    )
    expect((error as Error).message).toBe(`Cancelled while waiting. ${said}`)
    expect(log.warning).toHaveBeenCalledWith(said)
    expect(record.build?.status).not.toBe('canceled')
  })
})
