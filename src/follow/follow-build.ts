import { explainMissingBuild } from '../deploy/diagnose.js'
import { formatDuration } from '../shared/duration.js'
import {
  AccessLostError,
  BuildFailedError,
  UnexpectedAnswerError,
  WaitTimeoutError,
} from '../shared/errors.js'
import { showFailedSteps } from './failure-logs.js'
import { buildPage } from '../run/links.js'
import type { Log } from '../runner/log.js'
import type { RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import { ranFor, StepProgress } from './step-progress.js'
import { errorText, quote, safeInline } from '../shared/safe-text.js'
import type { VelaApi } from '../vela/api.js'
import { BadResponseError, CancelledError, NotVelaApiError, VelaHttpError } from '../vela/errors.js'
import { isTransient, retrying, type Clock } from '../vela/retry.js'
import {
  deploymentNumber,
  describeEra,
  serverEra,
  type Build,
  type Deployment,
  type ServerEra,
} from '../vela/schemas.js'
import { isFinal, isWaiting, Status } from '../vela/statuses.js'

/** How often to say we are still waiting when nothing changes. */
const HEARTBEAT_MS = 5 * 60_000
/**
 * Attempts at a read that Vela answers 401 after reads with the same unexpired token succeeded: Vela asks
 * GitHub for the user's permission on every read of a private repository, and answers 401 when GitHub fails.
 */
const UNAUTHORIZED_ATTEMPTS = 5
/** Attempts at a read whose answer is not what Vela's API returns (an HTML page from a proxy, say). */
const SURPRISE_ATTEMPTS = 3
/** How long GET /version may take before the wait goes on without naming the server's release. */
const VERSION_TIMEOUT_MS = 5_000
/** How long before the deployment's creation its build may seem created (clock skew). */
const SKEW_S = 60

// A web page where JSON belongs means "not the Vela API" on first contact; once reads have succeeded, it is
// something in front of Vela (a single-sign-on page, a gateway) answering in its place for a while.
const isSurprise = (error: unknown): error is BadResponseError | NotVelaApiError =>
  error instanceof NotVelaApiError ||
  (error instanceof BadResponseError && (error.reason === 'malformed' || error.reason === 'unexpected-shape'))
const isUnauthorized = (error: unknown): error is VelaHttpError =>
  error instanceof VelaHttpError && error.status === 401

export interface WaitTarget {
  org: string
  repo: string
  /** The GitHub deployment id: builds carry it as `deploy_number` since v0.23. */
  number: number
  /** The deployment's API URL: builds carry it as `source` in every version. */
  url: string | undefined
  commit: string | undefined
  /** Unix seconds: when the deployment was created. */
  createdAt: number | undefined
  /** Only since v0.26 does GET …/deployments/:org/:repo/:number answer with the linked builds. */
  era: ServerEra
}

interface WaitOptions {
  pollIntervalMs: number
  /** Epoch ms at which the wait gives up. Every request and sleep ends by then. */
  deadline: number
  requestTimeoutMs: number
  signal: AbortSignal
}

export interface WatchDeps {
  api: Pick<VelaApi, 'getDeployment' | 'listBuilds' | 'getBuild'>
  clock: Clock
  log: Pick<Log, 'info' | 'warning'>
  /** When the Vela token in use expires, if it says: a 401 after it is no hiccup. */
  tokenExpiresAt(): Date | undefined
  /** Told each state of the build as it is read, so a cancel or timeout can say where it stands. */
  onBuild(build: Build): void
  /** Given each state of the build after it is reported, to report its steps. */
  onPoll?(build: Build): Promise<void>
}

type WatchResult =
  { kind: 'finished'; build: Build } | { kind: 'timed-out'; build: Build | undefined; lastError?: string }

class DeadlinePassed extends Error {}

/**
 * Finds the build Vela creates for the deployment (by `deploy_number`, never by time or "newest"), then
 * follows it to a terminal status, one request per poll interval.
 */
export async function watchBuild(
  target: WaitTarget,
  options: WaitOptions,
  deps: WatchDeps,
): Promise<WatchResult> {
  const { api, clock, log } = deps
  const now = () => clock.now()
  const { org, repo } = target
  const started = now()
  let build: Build | undefined
  let lastStatus: string | undefined
  let lastNews = started
  const explained = new Set<string>()
  let readSucceeded = false
  // Consecutive failures of a kind that is retried only a few times.
  let refusals = 0
  let surprises = 0

  const tokenUnexpired = () => (deps.tokenExpiresAt()?.getTime() ?? Number.POSITIVE_INFINITY) > now()
  const retryable = (error: unknown): boolean => {
    if (isSurprise(error)) return ++surprises < SURPRISE_ATTEMPTS
    if (isUnauthorized(error)) {
      return readSucceeded && tokenUnexpired() && ++refusals < UNAUTHORIZED_ATTEMPTS
    }
    return isTransient(error)
  }

  /** One read, retried through transient trouble until the deadline; bounded by the deadline too. */
  const read = async <T>(call: (timeoutMs: number) => Promise<T>): Promise<T> => {
    const result = await retrying(
      () => {
        const left = options.deadline - now()
        if (left <= 0) throw new DeadlinePassed()
        return call(Math.min(options.requestTimeoutMs, left))
      },
      {
        attempts: Number.POSITIVE_INFINITY,
        retryable,
        deadline: options.deadline,
        signal: options.signal,
        clock,
        onRetry: (error, delayMs) => {
          log.info(`Vela read failed (${errorText(error)}); retrying in ${Math.ceil(delayMs / 1000)}s`)
        },
      },
    )
    readSucceeded = true
    refusals = 0
    surprises = 0
    return result
  }

  // Builds carry deploy_number since v0.23; before, only `source`, the deployment's API URL, names it.
  const ours = (build: Build): boolean =>
    build.deploy_number !== undefined
      ? build.deploy_number === target.number
      : target.url !== undefined && build.source === target.url
  const matching = (builds: readonly Build[] | null | undefined): Build | undefined =>
    (builds ?? []).filter(ours).sort((a, b) => b.number - a.number)[0]

  const findBuild = async (): Promise<Build | undefined> => {
    if (target.era === 'v0.26+') {
      const deployment = await read((timeoutMs) =>
        api.getDeployment(org, repo, target.number, { timeoutMs, signal: options.signal }),
      )
      const linked = matching(deployment.builds)
      if (linked) return linked
    }
    // Older servers, or linking that lags: list the deployment builds of the commit and match ours.
    const builds = await read((timeoutMs) =>
      api.listBuilds(
        org,
        repo,
        {
          event: 'deployment',
          commit: target.commit,
          after: target.createdAt === undefined ? undefined : target.createdAt - SKEW_S,
          per_page: 100,
        },
        { timeoutMs, signal: options.signal },
      ),
    )
    return matching(builds)
  }

  const report = (build: Build) => {
    const status = build.status ?? 'unknown'
    if (status !== lastStatus) {
      log.info(`Build #${build.number}: ${status}`)
      lastStatus = status
      lastNews = now()
    } else if (now() - lastNews >= HEARTBEAT_MS) {
      log.info(`Build #${build.number}: still ${status} after ${formatDuration(now() - started)}`)
      lastNews = now()
    }
    if (status === Status.pendingApproval && !explained.has(status)) {
      log.info('The build needs approval by a repository admin in Vela; waiting for it')
      explained.add(status)
    } else if (!isWaiting(status) && !isFinal(status) && !explained.has(status)) {
      log.warning(
        `Build #${build.number} has status ${quote(status, 'word')}, which this action does not know; waiting for success, failure, error, canceled or killed`,
      )
      explained.add(status)
    }
  }

  log.info(
    `Waiting up to ${formatDuration(options.deadline - started)} for the build of deployment ${target.number}`,
  )
  for (;;) {
    const pollStart = now()
    if (pollStart >= options.deadline) return { kind: 'timed-out', build }
    try {
      const known = build
      const latest = known
        ? await read((timeoutMs) =>
            api.getBuild(org, repo, known.number, { timeoutMs, signal: options.signal }),
          )
        : await findBuild()
      if (latest) {
        build = latest
        deps.onBuild(latest)
        report(latest)
        await deps.onPoll?.(latest)
        if (isFinal(latest.status)) return { kind: 'finished', build: latest }
      } else if (now() - lastNews >= HEARTBEAT_MS) {
        log.info(
          `Vela has not created a build for deployment ${target.number} yet (${formatDuration(now() - started)})`,
        )
        lastNews = now()
      }
    } catch (error) {
      if (error instanceof DeadlinePassed) return { kind: 'timed-out', build }
      if (isSurprise(error) && surprises >= SURPRISE_ATTEMPTS) {
        throw new UnexpectedAnswerError(
          `Vela's answer was not what its API returns, ${surprises} times in a row: ${error instanceof NotVelaApiError ? `${error.method} ${error.path} answered ${error.status} with a web page (${error.bodySummary})` : error.message}. Something in front of Vela (a single-sign-on page or a gateway) may be answering in its place; check the server input`,
          { cause: error },
        )
      }
      if (isUnauthorized(error) && refusals >= UNAUTHORIZED_ATTEMPTS) {
        throw new AccessLostError(
          `Vela refused to read ${org}/${repo} (401: ${error.said}) ${refusals} times in a row while waiting, although earlier reads with the same unexpired token succeeded. Either GitHub failed behind Vela's permission check (Vela asks GitHub on every read of a private repository and answers 401 when GitHub fails), or access was really lost (the token revoked, or the user's access to the repository removed)`,
          { cause: error },
        )
      }
      // Reads give up on transient trouble only when the next try would start past the deadline.
      if (isTransient(error)) {
        return { kind: 'timed-out', build, lastError: (error as Error).message }
      }
      throw error
    }
    const wake = Math.min(pollStart + options.pollIntervalMs, options.deadline)
    await clock.sleep(Math.max(0, wake - now()), options.signal)
  }
}

/**
 * Follows the deployment's build to its end and records it; fails the way the user should read it: the build
 * failed (with its failed steps' logs), the wait timed out (with why no build came), or the job was cancelled.
 */
export async function followBuild(
  api: VelaApi,
  record: RunRecord,
  deployment: Deployment,
  signal: AbortSignal,
  runtime: Runtime,
): Promise<void> {
  const { settings } = record
  const { org, repo } = settings
  const { clock, log } = runtime
  const number = deploymentNumber(deployment)
  const link = () => (record.build ? buildPage(record.build, settings) : undefined)
  const linked = () => {
    const url = link()
    return url ? `: ${safeInline(url)}` : ''
  }
  const standing = () => {
    if (!record.build) return 'Vela had not created the build yet'
    const url = link()
    return `build #${record.build.number} was ${safeInline(record.build.status ?? 'unknown', 'word')}${url ? ` (${safeInline(url)})` : ''}`
  }

  const started = clock.now()
  // Servers before v0.23 tell no creation time. A deployment this run created was created just now; one it
  // follows (the `deployment` input) may be of any age, so its builds are listed without a lower bound.
  const createdAt =
    deployment.created_at ?? (settings.deployment === undefined ? Math.floor(started / 1_000) : undefined)
  const era = serverEra(deployment)
  const progress = new StepProgress(
    api,
    org,
    repo,
    {
      mode: settings.logs,
      timeoutMs: () => Math.min(settings.requestTimeoutMs, started + settings.waitTimeoutMs - clock.now()),
      signal,
    },
    log,
  )
  let result: WatchResult
  try {
    await readServerVersion(api, record, era, signal, log)
    result = await watchBuild(
      { org, repo, number, url: deployment.url, commit: deployment.commit, createdAt, era },
      {
        pollIntervalMs: settings.pollIntervalMs,
        deadline: started + settings.waitTimeoutMs,
        requestTimeoutMs: settings.requestTimeoutMs,
        signal,
      },
      {
        api,
        clock,
        log,
        tokenExpiresAt: () => api.auth.expiresAt(),
        onBuild: (build) => {
          // The link once, as soon as the build is known; status lines then stay short.
          const page = record.build ? undefined : buildPage(build, settings)
          if (page) log.info(`Build #${build.number}: ${safeInline(page)}`)
          record.build = build
        },
        onPoll: (build) => progress.update(build),
      },
    )
  } catch (error) {
    if (error instanceof CancelledError) {
      throw new CancelledError(`Cancelled while waiting: ${standing()}`, { cause: error })
    }
    throw error
  }

  if (result.kind === 'timed-out') {
    const waited = formatDuration(settings.waitTimeoutMs)
    const last = result.lastError ?? progress.lastListFailure
    const lastError = last ? ` Last error: ${last}.` : ''
    if (result.build) throw new WaitTimeoutError(`Timed out after ${waited}: ${standing()}.${lastError}`)
    const why = await explainMissingBuild(api, org, repo, deployment, createdAt ?? 0, settings.target, signal)
    throw new WaitTimeoutError(
      `Timed out after ${waited}: Vela created no build for deployment ${number}.${lastError} Likely reasons: ${why}`,
    )
  }
  const { build } = result
  const took = ranFor(build)
  if (build.status === Status.success) {
    log.info(`Build #${build.number} succeeded${took}`)
    return
  }
  log.info(`Build #${build.number} ended with status ${safeInline(build.status ?? 'unknown', 'word')}${took}`)
  // With `logs: all` the failed steps' logs were shown as they finished; each log is read once.
  record.failedSteps =
    settings.logs === 'failed'
      ? await showFailedSteps(api, org, repo, build, signal, log)
      : progress.failedSteps
  const error = build.error ? ` (${safeInline(build.error)})` : ''
  throw new BuildFailedError(
    `Build #${build.number} ended with status ${safeInline(build.status ?? 'unknown', 'word')}${error}${linked()}`,
  )
}

/**
 * Names the server's release for the debug log and the job summary. The wait follows what Vela's answers
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
