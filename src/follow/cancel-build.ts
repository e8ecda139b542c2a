import { WaitTimeoutError } from '../shared/errors.js'
import type { RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import { errorText, safeInline } from '../shared/safe-text.js'
import type { VelaApi } from '../vela/api.js'
import { CancelledError, NetworkError, VelaHttpError } from '../vela/errors.js'
import { deploymentNumber, type Build, type Deployment } from '../vela/schemas.js'
import { Status } from '../vela/statuses.js'
import { findBuilds } from './follow-build.js'
import { followTarget } from './follow-deployment.js'

// After the job's cancel the runner kills the process 10 s after its first signal, and the run reports what it
// knows at 8.5 s (src/runner/signals.ts). A last look and the cancel together take at most 7.5 s, so their
// answers come well before.

/** How long the last look for a build not seen while following may take, its requests together. */
export const BUILD_LOOK_TIMEOUT_MS = 2_500
/** How long the cancel request may take. */
export const BUILD_CANCEL_TIMEOUT_MS = 5_000

type CancelApi = Pick<VelaApi, 'cancelBuild' | 'getDeployment' | 'listBuilds'>

/**
 * For `cancel-build-on-abort`: when following stopped because the job was cancelled or `wait-timeout` passed,
 * cancels the build in Vela (only a pending or running build can be) and returns the error the run fails
 * with, now saying whether the build was cancelled or why not. A build not seen while following is looked
 * for once more first: it may have started since the last poll. Any other error is returned as it is.
 */
export async function cancelAbandonedBuild(
  api: CancelApi,
  record: RunRecord,
  deployment: Deployment,
  error: unknown,
  runtime: Pick<Runtime, 'log' | 'clock'>,
): Promise<unknown> {
  if (!(error instanceof CancelledError) && !(error instanceof WaitTimeoutError)) return error
  const outcome = await cancelBuild(api, record, deployment, runtime)
  if (record.build?.status === Status.canceled) runtime.log.info(outcome)
  else runtime.log.warning(outcome)
  const message = `${error.message.replace(/\.$/, '')}. ${outcome}`
  return error instanceof CancelledError
    ? new CancelledError(message, { cause: error })
    : new WaitTimeoutError(message, { cause: error })
}

/** Sends the cancel and says what came of it, in one sentence; records the build as Vela left it. */
async function cancelBuild(
  api: CancelApi,
  record: RunRecord,
  deployment: Deployment,
  runtime: Pick<Runtime, 'clock'>,
): Promise<string> {
  let found = ''
  if (!record.build) {
    const look = await lookOnceMore(api, record, deployment, runtime)
    if (typeof look === 'string') return look
    record.build = look
    found = ', found on a last look,'
  }
  const { build, settings } = record
  try {
    const answer = await api.cancelBuild(settings.org, settings.repo, build.number, {
      timeoutMs: BUILD_CANCEL_TIMEOUT_MS,
    })
    return cancelAnswered(record, build, answer, found)
  } catch (error) {
    return cancelFailed(record, build, error)
  }
}

/**
 * Looks once more for the deployment's build, within BUILD_LOOK_TIMEOUT_MS; returns it, or says that none was
 * seen. Not seeing one is no proof that there is none: Vela may start it later.
 */
async function lookOnceMore(
  api: CancelApi,
  record: RunRecord,
  deployment: Deployment,
  { clock }: Pick<Runtime, 'clock'>,
): Promise<Build | string> {
  const number = deploymentNumber(deployment)
  const deadline = clock.now() + BUILD_LOOK_TIMEOUT_MS
  try {
    const [build] = await findBuilds(api, followTarget(record, deployment, undefined), (call) =>
      call(Math.max(1, deadline - clock.now())),
    )
    if (build) return build
    return `No build was cancelled: none of deployment ${number} was seen, even on a last look; Vela may still start one`
  } catch (error) {
    return `No build was cancelled: none of deployment ${number} was seen, and a last look failed (${errorText(error)}); Vela may have started one or start one later: check the deployment's builds in Vela`
  }
}

function cancelAnswered(record: RunRecord, meant: Build, answer: Build, found: string): string {
  // The answer must be the build the cancel was for; another build's state would be recorded as this one's.
  if (answer.number !== meant.number) {
    return `Vela answered the cancel of build #${meant.number} with build #${answer.number}, so whether build #${meant.number} was cancelled is not confirmed: check it in Vela`
  }
  record.build = answer
  if (answer.status === Status.canceled) return `Build #${meant.number}${found} was cancelled in Vela`
  return `Vela answered the cancel of build #${meant.number}${found} with its status ${safeInline(answer.status ?? 'unknown', 'word')}`
}

function cancelFailed(record: RunRecord, build: Build, error: unknown): string {
  const { org, repo } = record.settings
  if (error instanceof VelaHttpError && error.status === 400) {
    // Vela cancels only a pending or running build, and says which status it found.
    return `Vela did not cancel build #${build.number} (400: ${safeInline(error.said)})`
  }
  if (error instanceof VelaHttpError && error.status === 401) {
    return `Vela refused to cancel build #${build.number} (401: ${safeInline(error.said)}): cancelling needs write access to ${org}/${repo}`
  }
  if (error instanceof NetworkError && !error.requestNotSent) {
    return `The cancel of build #${build.number} was sent, not confirmed: ${errorText(error)}. Check the build in Vela`
  }
  return `Could not cancel build #${build.number} in Vela: ${errorText(error)}`
}
