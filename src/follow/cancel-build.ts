import { WaitTimeoutError } from '../shared/errors.js'
import type { RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import { errorText, safeInline } from '../shared/safe-text.js'
import type { VelaApi } from '../vela/api.js'
import { CancelledError, VelaHttpError } from '../vela/errors.js'
import { Status } from '../vela/statuses.js'

/**
 * How long the cancel request may take. After the job's cancel the runner kills the process 10 s after its
 * first signal, and the run reports what it knows at 8.5 s (src/runner/signals.ts), so the answer must come well before.
 */
export const BUILD_CANCEL_TIMEOUT_MS = 5_000

/**
 * For `cancel-build-on-abort`: when the wait stopped because the job was cancelled or `wait-timeout` passed,
 * cancels the build in Vela (only a pending or running build can be) and returns the error the run fails
 * with, now saying whether the build was cancelled or why not. Any other error is returned as it is.
 */
export async function cancelAbandonedBuild(
  api: Pick<VelaApi, 'cancelBuild'>,
  record: RunRecord,
  error: unknown,
  runtime: Pick<Runtime, 'log'>,
): Promise<unknown> {
  if (!(error instanceof CancelledError) && !(error instanceof WaitTimeoutError)) return error
  const outcome = await cancelBuild(api, record)
  if (record.build?.status === Status.canceled) runtime.log.info(outcome)
  else runtime.log.warning(outcome)
  const message = `${error.message.replace(/\.$/, '')}. ${outcome}`
  return error instanceof CancelledError
    ? new CancelledError(message, { cause: error })
    : new WaitTimeoutError(message, { cause: error })
}

/** Sends the cancel and says what came of it, in one sentence; records the build as Vela left it. */
async function cancelBuild(api: Pick<VelaApi, 'cancelBuild'>, record: RunRecord): Promise<string> {
  const { build, settings } = record
  if (!build) {
    return 'No build was cancelled: Vela had not created it yet, and may still start it for this deployment'
  }
  try {
    record.build = await api.cancelBuild(settings.org, settings.repo, build.number, {
      timeoutMs: BUILD_CANCEL_TIMEOUT_MS,
    })
    return `Build #${build.number} was cancelled in Vela`
  } catch (error) {
    if (error instanceof VelaHttpError && error.status === 400) {
      // Vela cancels only a pending or running build, and says which status it found.
      return `Vela did not cancel build #${build.number} (400: ${safeInline(error.said)})`
    }
    if (error instanceof VelaHttpError && error.status === 401) {
      return `Vela refused to cancel build #${build.number} (401: ${safeInline(error.said)}): cancelling needs write access to ${settings.org}/${settings.repo}`
    }
    return `Could not cancel build #${build.number} in Vela: ${errorText(error)}`
  }
}
