import { explainMissingBuild } from '../deploy/diagnose.js'
import { formatDuration } from '../shared/duration.js'
import { AccessLostError, BuildFailedError, WaitTimeoutError } from '../shared/errors.js'
import { showFailedSteps } from './failure-logs.js'
import { buildPage } from '../run/links.js'
import type { Log } from '../runner/log.js'
import type { RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import { ranFor, StepProgress } from './step-progress.js'
import { errorText, safeInline } from '../shared/safe-text.js'
import type { VelaApi } from '../vela/api.js'
import { CancelledError, TokenExchangeError, VelaHttpError } from '../vela/errors.js'
import type { Clock } from '../vela/retry.js'
import {
  deploymentNumber,
  describeEra,
  serverEra,
  type Build,
  type Deployment,
  type ServerEra,
} from '../vela/schemas.js'
import { Status } from '../vela/statuses.js'
import { followBuild, type FollowResult, type FollowTarget } from './follow-build.js'

/** How long GET /version may take before following goes on without naming the server's release. */
const VERSION_TIMEOUT_MS = 5_000
/**
 * The end of `wait-timeout` kept, while no build is seen, for reading Vela's webhook records to say why none
 * came: a quarter of it, at most 10 s.
 */
const DIAGNOSIS_MS = 10_000

function findDeadline(deadline: number, waitTimeoutMs: number): number {
  return deadline - Math.min(DIAGNOSIS_MS, waitTimeoutMs / 4)
}

/**
 * Follows the deployment's build to its end and records it; fails the way the user should read it: the build
 * failed (with its failed steps' logs), the wait timed out (with why no build came), or the job was cancelled.
 */
export async function followDeployment(
  api: VelaApi,
  record: RunRecord,
  deployment: Deployment,
  signal: AbortSignal,
  runtime: Pick<Runtime, 'log' | 'clock'>,
): Promise<void> {
  const { settings } = record
  const { clock } = runtime
  const started = clock.now()
  const deadline = started + settings.waitTimeoutMs
  const target = followTarget(record, deployment, started)
  const progress = stepProgress(api, record, deadline, signal, runtime)
  let result: FollowResult
  try {
    await readServerVersion(api, record, target.era, signal, runtime.log)
    result = await followBuild(
      target,
      {
        pollIntervalMs: settings.pollIntervalMs,
        deadline,
        findDeadline: findDeadline(deadline, settings.waitTimeoutMs),
        requestTimeoutMs: settings.requestTimeoutMs,
        signal,
      },
      {
        api,
        clock,
        log: runtime.log,
        tokenExpiresAt: () => api.auth.expiresAt(),
        onBuild: (build) => {
          recordBuild(record, build, runtime.log)
        },
        onPoll: (build) => progress.update(build),
      },
    )
  } catch (error) {
    throw stoppedWhileFollowing(error, record, target)
  }
  if (result.kind === 'timed-out') {
    const last = result.lastError ?? progress.lastListFailure
    throw await timedOut(api, record, deployment, target, { last, deadline, signal, clock })
  }
  await finished(api, record, result.build, progress, signal, runtime.log)
}

/**
 * The error for following that stopped before the build ended or the deadline passed, saying where the build
 * stood. The deployment exists by then: a token renewal that failed is no "nothing was sent".
 */
function stoppedWhileFollowing(error: unknown, record: RunRecord, target: FollowTarget): unknown {
  const where = `${target.org}/${target.repo}`
  if (error instanceof CancelledError) {
    return new CancelledError(`Cancelled while waiting: ${standing(record, target.number)}`, { cause: error })
  }
  if (error instanceof TokenExchangeError) {
    const { cause } = error
    const said =
      cause instanceof VelaHttpError && cause.status === 401
        ? `Vela refused the personal access token (401: ${cause.said}); it may have been revoked, or its user removed from Vela`
        : `Could not get a new Vela access token: ${errorText(cause)}`
    return new AccessLostError(
      `${said}. This happened while following deployment ${target.number} of ${where}, which exists: ${standing(record, target.number)}`,
      { cause: error },
    )
  }
  return error
}

/** Reports the build's steps as it runs; its reads end by the deadline too. */
function stepProgress(
  api: VelaApi,
  { settings }: RunRecord,
  deadline: number,
  signal: AbortSignal,
  { clock, log }: Pick<Runtime, 'log' | 'clock'>,
): StepProgress {
  const timeoutMs = () => Math.min(settings.requestTimeoutMs, deadline - clock.now())
  return new StepProgress(api, settings.org, settings.repo, { mode: settings.logs, timeoutMs, signal }, log)
}

/**
 * What tells the deployment's build apart, on the server the create answer shows. `started`: when following
 * began (epoch ms), if it did.
 */
export function followTarget(
  record: RunRecord,
  deployment: Deployment,
  started: number | undefined,
): FollowTarget {
  const { settings } = record
  // Servers before v0.23 tell no creation time. A deployment this run created was created just now; one it
  // follows (the `deployment` input) may be of any age, so its builds are listed without a lower bound.
  const createdAt =
    deployment.created_at ??
    (settings.deployment === undefined && started !== undefined ? Math.floor(started / 1_000) : undefined)
  return {
    org: settings.org,
    repo: settings.repo,
    number: deploymentNumber(deployment),
    url: deployment.url,
    commit: deployment.commit,
    createdAt,
    era: serverEra(deployment),
  }
}

/** Records each state of the build read; the link once, as soon as the build is known, so status lines stay short. */
function recordBuild(record: RunRecord, build: Build, log: Pick<Log, 'info'>): void {
  const page = record.build ? undefined : buildPage(build, record.settings)
  if (page) log.info(`Build #${build.number}: ${safeInline(page)}`)
  record.build = build
}

/** Where the build stood when following stopped, with its page when there is one. */
function standing(record: RunRecord, number: number): string {
  if (!record.build) return `no build of deployment ${number} had been seen yet`
  const url = buildPage(record.build, record.settings)
  return `build #${record.build.number} was ${safeInline(record.build.status ?? 'unknown', 'word')}${url ? ` (${safeInline(url)})` : ''}`
}

/** The error for a wait that ran out: where the build stood, or why no build came. */
async function timedOut(
  api: VelaApi,
  record: RunRecord,
  deployment: Deployment,
  target: FollowTarget,
  options: { last: string | undefined; deadline: number; signal: AbortSignal; clock: Clock },
): Promise<WaitTimeoutError> {
  const { settings } = record
  const waited = formatDuration(settings.waitTimeoutMs)
  const lastError = options.last ? ` Last error: ${options.last}.` : ''
  if (record.build)
    return new WaitTimeoutError(`Timed out after ${waited}: ${standing(record, target.number)}.${lastError}`)
  // A followed deployment's own target: the target input is not read then.
  const where = { ...settings, target: deployment.target ?? settings.target }
  const why = await explainMissingBuild(api, where, deployment, target.createdAt ?? 0, options)
  return new WaitTimeoutError(
    `Timed out after ${waited}: no build of deployment ${target.number} was seen.${lastError} Likely reasons: ${why}`,
  )
}

/** Says how the build ended; a build that did not succeed fails the run, after its failed steps' logs. */
async function finished(
  api: VelaApi,
  record: RunRecord,
  build: Build,
  progress: StepProgress,
  signal: AbortSignal,
  log: Log,
): Promise<void> {
  const { settings } = record
  const took = ranFor(build)
  if (build.status === Status.success) {
    log.info(`Build #${build.number} succeeded${took}`)
    return
  }
  const status = safeInline(build.status ?? 'unknown', 'word')
  log.info(`Build #${build.number} ended with status ${status}${took}`)
  // With `logs: all` the failed steps' logs were shown as they finished; each log is read once.
  record.failedSteps =
    settings.logs === 'failed'
      ? await showFailedSteps(api, settings.org, settings.repo, build, signal, log)
      : progress.failedSteps
  const error = build.error ? ` (${safeInline(build.error)})` : ''
  const url = buildPage(build, settings)
  throw new BuildFailedError(
    `Build #${build.number} ended with status ${status}${error}${url ? `: ${safeInline(url)}` : ''}`,
  )
}

/**
 * Names the server's release for the debug log and the job summary. Following goes by what Vela's answers
 * show, not this: a server built without a release tag names itself v0.0.0.
 */
async function readServerVersion(
  api: Pick<VelaApi, 'getVersion'>,
  record: RunRecord,
  era: ServerEra,
  signal: AbortSignal,
  log: Pick<Log, 'debug'>,
): Promise<void> {
  try {
    record.serverVersion = await api.getVersion({ timeoutMs: VERSION_TIMEOUT_MS, signal })
    log.debug(
      `Vela names its release ${safeInline(record.serverVersion, 'word')} (GET /version); its answers show ${describeEra(era)}`,
    )
  } catch (error) {
    if (error instanceof CancelledError) throw error
    log.debug(`GET /version failed (${errorText(error)}); Vela's answers show ${describeEra(era)}`)
  }
}
