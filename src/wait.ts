import { formatDuration } from './duration.js'
import { isTransient, retrying, type Sleep } from './retry.js'
import { errorText, safeInline } from './safe-text.js'
import type { VelaApi } from './vela/api.js'
import type { Build } from './vela/schemas.js'

export const SUCCESS = 'success'
const FAILED = new Set(['failure', 'error', 'canceled', 'killed'])

export function isTerminal(status: string | undefined): boolean {
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

export interface WaitDeps {
  api: Pick<VelaApi, 'getDeployment' | 'listBuilds' | 'getBuild'>
  now: () => number
  sleep: Sleep
  log: { info(message: string): void; warning(message: string): void }
}

/** What the wait has seen so far; kept up to date so a cancel or timeout can report where the build stands. */
export interface WaitProgress {
  build: Build | undefined
}

export type WaitResult =
  { kind: 'finished'; build: Build } | { kind: 'timed-out'; build: Build | undefined; lastError?: string }

class DeadlinePassed extends Error {}

/**
 * Finds the build Vela creates for the deployment (by `deploy_number`, never by time or "newest"), then
 * follows it to a terminal status, one request per poll interval.
 */
export async function waitForBuild(
  target: WaitTarget,
  options: WaitOptions,
  deps: WaitDeps,
  progress: WaitProgress = { build: undefined },
): Promise<WaitResult> {
  const { api, now, sleep, log } = deps
  const { org, repo } = target
  const started = now()
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
        sleep,
        now,
        onRetry: (error, delayMs) => {
          log.info(`Vela read failed (${errorText(error, 300)}); retrying in ${Math.ceil(delayMs / 1000)}s`)
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
      log.info(`Build #${build.number}: ${status}${build.link ? ` (${safeInline(build.link, 300)})` : ''}`)
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
        `Build #${build.number} has status "${safeInline(status, 40)}", which this action does not know; waiting for success, failure, error, canceled or killed`,
      )
      explained.add(status)
    }
  }

  log.info(
    `Waiting up to ${formatDuration(options.deadline - started)} for the build of deployment ${target.number}`,
  )
  for (;;) {
    const pollStart = now()
    if (pollStart >= options.deadline) return { kind: 'timed-out', build: progress.build }
    try {
      const build: Build | undefined = progress.build
        ? await read((timeoutMs) =>
            api.getBuild(org, repo, (progress.build as Build).number, { timeoutMs, signal: options.signal }),
          )
        : await findBuild()
      if (build) {
        progress.build = build
        report(build)
        if (isTerminal(build.status)) return { kind: 'finished', build }
      } else if (now() - lastNews >= HEARTBEAT_MS) {
        log.info(
          `Vela has not created a build for deployment ${target.number} yet (${formatDuration(now() - started)})`,
        )
        lastNews = now()
      }
    } catch (error) {
      if (error instanceof DeadlinePassed) return { kind: 'timed-out', build: progress.build }
      // Reads give up on transient trouble only when the next try would start past the deadline.
      if (isTransient(error)) {
        return { kind: 'timed-out', build: progress.build, lastError: (error as Error).message }
      }
      throw error
    }
    const wake = Math.min(pollStart + options.pollIntervalMs, options.deadline)
    await sleep(Math.max(0, wake - now()), options.signal)
  }
}
