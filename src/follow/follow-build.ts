import { formatDuration } from '../shared/duration.js'
import type { Log } from '../runner/log.js'
import { errorText, quote, safeInline } from '../shared/safe-text.js'
import type { VelaApi } from '../vela/api.js'
import { isTransient, retrying, type Clock } from '../vela/retry.js'
import type { Build, ServerEra } from '../vela/schemas.js'
import { isFinal, isWaiting, Status } from '../vela/statuses.js'
import { ReadBudget } from './read-budget.js'

/** How often to say we are still waiting when nothing changes. */
const HEARTBEAT_MS = 5 * 60_000
/** How long before the deployment's creation its build may seem created (clock skew). */
const SKEW_S = 60

/** The deployment whose build is followed, and what tells its build apart on this server. */
export interface FollowTarget {
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

export interface FollowOptions {
  pollIntervalMs: number
  /** Epoch ms at which following gives up. Every request and sleep ends by then. */
  deadline: number
  /**
   * Epoch ms by which the build must have been seen, if earlier than `deadline`: looking for it ends then,
   * leaving the time after it to say why no build came.
   */
  findDeadline?: number
  requestTimeoutMs: number
  signal: AbortSignal
}

export interface FollowDeps {
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

export type FollowResult =
  { kind: 'finished'; build: Build } | { kind: 'timed-out'; build: Build | undefined; lastError?: string }

class DeadlinePassed extends Error {}

/**
 * Finds the build Vela creates for the deployment (by `deploy_number` or `source`, never by time or "the
 * newest build" of the repository), then follows it to a terminal status, one request per poll interval.
 * Of several builds of the deployment, the newest is followed.
 */
export async function followBuild(
  target: FollowTarget,
  options: FollowOptions,
  deps: FollowDeps,
): Promise<FollowResult> {
  const { clock } = deps
  const reads = new BuildReads(target, options, deps)
  const narration = new Narration(target, deps.log, clock)
  narration.begin(options.deadline)
  let build: Build | undefined
  for (;;) {
    const pollStart = clock.now()
    const stopAt = build ? options.deadline : (options.findDeadline ?? options.deadline)
    if (pollStart >= stopAt) return { kind: 'timed-out', build }
    const polled = await reads.poll(build, stopAt)
    if (polled.kind === 'stopped') return { kind: 'timed-out', build, lastError: polled.lastError }
    const [latest] = polled.builds
    if (latest) {
      if (!build) narration.chose(latest, polled.builds)
      build = latest
      deps.onBuild(build)
      narration.tell(build)
      await deps.onPoll?.(build)
      if (isFinal(build.status)) return { kind: 'finished', build }
    } else {
      narration.noBuildYet()
    }
    const wake = Math.min(pollStart + options.pollIntervalMs, stopAt)
    await clock.sleep(Math.max(0, wake - clock.now()), options.signal)
  }
}

/**
 * One poll's reading: the deployment's builds seen, newest first (the one followed, once it is known), or the
 * deadline stopped the reads.
 */
type Polled = { kind: 'read'; builds: Build[] } | { kind: 'stopped'; lastError?: string }

/** The reads of one follow: find the deployment's build, then read it; each retried within a budget. */
class BuildReads {
  private readonly budget: ReadBudget

  constructor(
    private readonly target: FollowTarget,
    private readonly options: FollowOptions,
    private readonly deps: FollowDeps,
  ) {
    const { clock } = deps
    this.budget = new ReadBudget(
      `${target.org}/${target.repo}`,
      () => (deps.tokenExpiresAt()?.getTime() ?? Number.POSITIVE_INFINITY) > clock.now(),
    )
  }

  /**
   * Reads the build once known, else looks for it. Fails with the error that stopped the retries; the
   * deadline ending them is no failure: the poll says so, with the last transient error.
   */
  async poll(known: Build | undefined, deadline: number): Promise<Polled> {
    const read: Read = (call) => this.read(call, deadline)
    try {
      return {
        kind: 'read',
        builds: known ? [await this.readBuild(known.number, read)] : await this.findBuilds(read),
      }
    } catch (error) {
      if (error instanceof DeadlinePassed) return { kind: 'stopped' }
      const ranOut = this.budget.ranOut()
      if (ranOut) throw ranOut
      // Retries give up on transient trouble only when the next try would start past the deadline.
      if (isTransient(error)) return { kind: 'stopped', lastError: (error as Error).message }
      throw error
    }
  }

  private readBuild(number: number, read: Read): Promise<Build> {
    const { org, repo } = this.target
    const { signal } = this.options
    return read((timeoutMs) => this.deps.api.getBuild(org, repo, number, { timeoutMs, signal }))
  }

  private findBuilds(read: Read): Promise<Build[]> {
    return findBuilds(this.deps.api, this.target, read, this.options.signal)
  }

  /** One read, retried through transient trouble until the deadline; bounded by the deadline too. */
  private async read<T>(call: (timeoutMs: number) => Promise<T>, deadline: number): Promise<T> {
    const { clock, log } = this.deps
    const { requestTimeoutMs, signal } = this.options
    const attempt = async () => {
      const left = deadline - clock.now()
      if (left <= 0) throw new DeadlinePassed()
      try {
        return await call(Math.min(requestTimeoutMs, left))
      } catch (error) {
        this.budget.failed(error)
        throw error
      }
    }
    const result = await retrying(attempt, {
      attempts: Number.POSITIVE_INFINITY,
      retryable: (error) => !(error instanceof DeadlinePassed) && this.budget.mayRetry(),
      deadline,
      signal,
      clock,
      onRetry: (error, delayMs) => {
        log.info(`Vela read failed (${errorText(error)}); retrying in ${formatDuration(delayMs)}`)
      },
    })
    this.budget.succeeded()
    return result
  }
}

/** Runs one read of Vela, given how long its request may take. */
export type Read = <T>(call: (timeoutMs: number) => Promise<T>) => Promise<T>

/**
 * Looks for the deployment's builds, newest first: those Vela linked to it (v0.26+), else those among the
 * deployment builds of its commit. None seen does not mean that none exists.
 */
export async function findBuilds(
  api: Pick<VelaApi, 'getDeployment' | 'listBuilds'>,
  target: FollowTarget,
  read: Read,
  signal?: AbortSignal,
): Promise<Build[]> {
  const { org, repo } = target
  if (target.era === 'v0.26+') {
    const deployment = await read((timeoutMs) =>
      api.getDeployment(org, repo, target.number, { timeoutMs, signal }),
    )
    const linked = ours(target, deployment.builds)
    if (linked.length > 0) return linked
  }
  // Older servers, or linking that lags: list the deployment builds of the commit and match ours.
  const after = target.createdAt === undefined ? undefined : target.createdAt - SKEW_S
  const query = { event: 'deployment', commit: target.commit, after, per_page: 100 }
  return ours(target, await read((timeoutMs) => api.listBuilds(org, repo, query, { timeoutMs, signal })))
}

// Builds carry deploy_number since v0.23; before, only `source`, the deployment's API URL, names it.
function isOurs(target: FollowTarget, build: Build): boolean {
  return build.deploy_number !== undefined
    ? build.deploy_number === target.number
    : target.url !== undefined && build.source === target.url
}

/** The deployment's builds among these, newest first. */
function ours(target: FollowTarget, builds: readonly Build[] | null | undefined): Build[] {
  return (builds ?? []).filter((build) => isOurs(target, build)).sort((a, b) => b.number - a.number)
}

/** What the log says while following: each new status, a heartbeat when nothing changes, odd statuses once. */
class Narration {
  private readonly started: number
  private lastStatus: string | undefined
  private lastNews: number
  private readonly explained = new Set<string>()

  constructor(
    private readonly target: FollowTarget,
    private readonly log: Pick<Log, 'info' | 'warning'>,
    private readonly clock: Clock,
  ) {
    this.started = clock.now()
    this.lastNews = this.started
  }

  begin(deadline: number): void {
    this.log.info(
      `Waiting up to ${formatDuration(deadline - this.started)} for the build of deployment ${this.target.number}`,
    )
  }

  tell(build: Build): void {
    const status = build.status ?? 'unknown'
    // The status is the server's text: printed as one defused line.
    const said = safeInline(status, 'word')
    if (status !== this.lastStatus) {
      this.log.info(`Build #${build.number}: ${said}`)
      this.lastStatus = status
      this.lastNews = this.clock.now()
    } else {
      this.sayIfQuiet(() => `Build #${build.number}: still ${said} after ${this.elapsed()}`)
    }
    this.explainOnce(build.number, status)
  }

  /** Says which build is followed when the deployment has several, and why. */
  chose(build: Build, builds: readonly Build[]): void {
    if (builds.length < 2) return
    const numbers = builds.map((b) => `#${b.number}`).join(', ')
    this.log.info(
      `Deployment ${this.target.number} has ${builds.length} builds (${numbers}); following #${build.number}, the newest: a webhook delivered again, or a build restarted in Vela, starts another build of the same deployment`,
    )
  }

  noBuildYet(): void {
    this.sayIfQuiet(() => `No build of deployment ${this.target.number} seen yet (${this.elapsed()})`)
  }

  private explainOnce(number: number, status: string): void {
    if (this.explained.has(status)) return
    if (status === Status.pendingApproval) {
      this.log.info('The build needs approval by a repository admin in Vela; waiting for it')
      this.explained.add(status)
    } else if (!isWaiting(status) && !isFinal(status)) {
      this.log.warning(
        `Build #${number} has status ${quote(status, 'word')}, which this action does not know; waiting for success, failure, error, canceled or killed`,
      )
      this.explained.add(status)
    }
  }

  /** Says the line when nothing was said for HEARTBEAT_MS, so a long wait still shows it is alive. */
  private sayIfQuiet(line: () => string): void {
    if (this.clock.now() - this.lastNews < HEARTBEAT_MS) return
    this.log.info(line())
    this.lastNews = this.clock.now()
  }

  private elapsed(): string {
    return formatDuration(this.clock.now() - this.started)
  }
}
