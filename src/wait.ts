import { explainMissingBuild } from './diagnose.js'
import { formatDuration } from './duration.js'
import { BuildFailedError, WaitTimeoutError } from './errors.js'
import { showFailedSteps } from './failure-logs.js'
import { buildPage } from './links.js'
import type { Log } from './log.js'
import type { RunRecord } from './run-record.js'
import type { Runtime } from './runtime.js'
import { errorText, isHttpUrl, quote, safeInline } from './safe-text.js'
import type { VelaApi } from './vela/api.js'
import { CancelledError } from './vela/errors.js'
import { isTransient, retrying, type Clock } from './vela/retry.js'
import { deploymentNumber, type Build, type Deployment } from './vela/schemas.js'

const SUCCESS = 'success'
const FAILED = new Set(['failure', 'error', 'canceled', 'killed'])

function isTerminal(status: string | undefined): boolean {
  return status === SUCCESS || (status !== undefined && FAILED.has(status))
}

const KNOWN_WAITING = new Set(['pending', 'running', 'pending approval'])
/** How often to say we are still waiting when nothing changes. */
const HEARTBEAT_MS = 5 * 60_000

export interface WaitTarget {
  org: string
  repo: string
  /** The GitHub deployment id: builds carry it as `deploy_number`. */
  number: number
  commit: string | undefined
  /** Unix seconds, when the server says. */
  createdAt: number | undefined
  /** Servers since v0.23 link builds to the deployment; older ones answer GET without `builds`. */
  serverLinksBuilds: boolean
}

export interface WaitOptions {
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
  /** Told each state of the build as it is read, so a cancel or timeout can say where it stands. */
  onBuild(build: Build): void
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

  /** One read, retried through transient trouble until the deadline; bounded by the deadline too. */
  const read = <T>(call: (timeoutMs: number) => Promise<T>): Promise<T> =>
    retrying(
      () => {
        const left = options.deadline - now()
        if (left <= 0) throw new DeadlinePassed()
        return call(Math.min(options.requestTimeoutMs, left))
      },
      {
        attempts: Number.POSITIVE_INFINITY,
        retryable: (error) => isTransient(error),
        deadline: options.deadline,
        signal: options.signal,
        clock,
        onRetry: (error, delayMs) => {
          log.info(`Vela read failed (${errorText(error)}); retrying in ${Math.ceil(delayMs / 1000)}s`)
        },
      },
    )

  const matching = (builds: readonly Build[] | null | undefined): Build | undefined =>
    (builds ?? []).filter((b) => b.deploy_number === target.number).sort((a, b) => b.number - a.number)[0]

  const findBuild = async (): Promise<Build | undefined> => {
    if (target.serverLinksBuilds) {
      const deployment = await read((timeoutMs) =>
        api.getDeployment(org, repo, target.number, { timeoutMs, signal: options.signal }),
      )
      const linked = matching(deployment.builds)
      if (linked) return linked
    }
    // Older servers, or linking that lags: list the deployment builds of the commit and match deploy_number.
    const builds = await read((timeoutMs) =>
      api.listBuilds(
        org,
        repo,
        {
          event: 'deployment',
          commit: target.commit,
          after: target.createdAt === undefined ? undefined : target.createdAt - 60,
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
      log.info(
        `Build #${build.number}: ${status}${isHttpUrl(build.link) ? ` (${safeInline(build.link)})` : ''}`,
      )
      lastStatus = status
      lastNews = now()
    } else if (now() - lastNews >= HEARTBEAT_MS) {
      log.info(`Build #${build.number}: still ${status} after ${formatDuration(now() - started)}`)
      lastNews = now()
    }
    if (status === 'pending approval' && !explained.has(status)) {
      log.info('The build needs approval by a repository admin in Vela; waiting for it')
      explained.add(status)
    } else if (!KNOWN_WAITING.has(status) && !isTerminal(status) && !explained.has(status)) {
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
        if (isTerminal(latest.status)) return { kind: 'finished', build: latest }
      } else if (now() - lastNews >= HEARTBEAT_MS) {
        log.info(
          `Vela has not created a build for deployment ${target.number} yet (${formatDuration(now() - started)})`,
        )
        lastNews = now()
      }
    } catch (error) {
      if (error instanceof DeadlinePassed) return { kind: 'timed-out', build }
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

  let result: WatchResult
  try {
    result = await watchBuild(
      {
        org,
        repo,
        number,
        commit: deployment.commit,
        createdAt: deployment.created_at,
        serverLinksBuilds: deployment.number !== undefined,
      },
      {
        pollIntervalMs: settings.pollIntervalMs,
        deadline: clock.now() + settings.waitTimeoutMs,
        requestTimeoutMs: settings.requestTimeoutMs,
        signal,
      },
      { api, clock, log, onBuild: (build) => (record.build = build) },
    )
  } catch (error) {
    if (error instanceof CancelledError) {
      throw new CancelledError(`Cancelled while waiting: ${standing()}`, { cause: error })
    }
    throw error
  }

  if (result.kind === 'timed-out') {
    const waited = formatDuration(settings.waitTimeoutMs)
    const lastError = result.lastError ? ` Last error: ${result.lastError}.` : ''
    if (result.build) throw new WaitTimeoutError(`Timed out after ${waited}: ${standing()}.${lastError}`)
    const why = await explainMissingBuild(api, org, repo, deployment, settings.target, signal)
    throw new WaitTimeoutError(
      `Timed out after ${waited}: Vela created no build for deployment ${number}.${lastError} Likely reasons: ${why}`,
    )
  }
  const { build } = result
  if (build.status === SUCCESS) {
    log.info(`Build #${build.number} succeeded${linked()}`)
    return
  }
  await showFailedSteps(api, org, repo, build, signal, log)
  const error = build.error ? ` (${safeInline(build.error)})` : ''
  throw new BuildFailedError(
    `Build #${build.number} ended with status ${safeInline(build.status ?? 'unknown', 'word')}${error}${linked()}`,
  )
}
