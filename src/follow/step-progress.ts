import { formatDuration } from '../shared/duration.js'
import { printUntrusted, type Log } from '../runner/log.js'
import type { FailedStep } from '../run/run-record.js'
import { listAllSteps, stepKey } from './step-list.js'
import {
  exitText,
  FAILED_STEPS_SHOWN,
  failedStepRecord,
  failedTail,
  logLines,
  notShown,
  printFailedLog,
  printStepError,
  sayEnded,
  stepName,
  type LogHead,
} from './failed-step.js'
import { errorText, quote, safeInline } from '../shared/safe-text.js'
import type { LogsMode } from '../inputs/settings.js'
import type { VelaApi } from '../vela/api.js'
import { CancelledError } from '../vela/errors.js'
import { isTransient } from '../vela/retry.js'
import type { Build, Step } from '../vela/schemas.js'
import type { StepLog } from '../vela/step-log.js'
import { groupEnd, hasStarted, isFailed, isFinal, isPending, isWaiting } from '../vela/statuses.js'

/** Caps on what `logs: all` prints: one log line can be megabytes, and a build can log gigabytes. */
export const STEP_LOG_CAPS = {
  stepBytes: 64 * 1024,
  stepLines: 1_000,
  buildBytes: 1024 * 1024,
  buildLines: 10_000,
} as const

const BUILD_CAP = `the build's cap of ${STEP_LOG_CAPS.buildLines} lines and ${STEP_LOG_CAPS.buildBytes / 1024} KiB of logs`

interface StepOptions {
  mode: LogsMode
  /** How long the next request may take: within the request timeout and the wait's deadline. */
  timeoutMs(): number
  signal: AbortSignal
}

/** ` in 1m 05s` for a step or build that ran (Vela keeps whole Unix seconds, 0 until set), else ''. */
export function ranFor({ started, finished }: { started?: number; finished?: number }): string {
  if (!started || !finished || finished < started) return ''
  return ` in ${formatDuration((finished - started) * 1_000)}`
}
const stepStarted = (step: Step) => hasStarted(step.status)
const stepFinished = (step: Step) => isFinal(step.status)

/**
 * Reports each step (and stage) of a build once when it starts and once when it finishes, and with
 * `logs: all` prints each finished step's log once, in a collapsed group. Vela's log endpoint answers the
 * whole log every time, so a log is read only when its step has finished. Best effort: trouble listing
 * steps or reading a log is said, never fails the wait.
 */
export class StepProgress {
  private readonly started = new Set<string>()
  private readonly finished = new Set<string>()
  private readonly stagesStarted = new Set<string>()
  private readonly stagesFinished = new Set<string>()
  private readonly unknownSaid = new Set<string>()
  private readonly failed: FailedStep[] = []
  private bytesShown = 0
  private linesShown = 0
  /** Failed steps whose tail was printed. */
  private tailsShown = 0
  private listFailureSaid = false
  private listFailure: string | undefined

  constructor(
    private readonly api: Pick<VelaApi, 'listSteps' | 'getStepLog'>,
    private readonly org: string,
    private readonly repo: string,
    private readonly options: StepOptions,
    private readonly log: Pick<Log, 'info' | 'warning' | 'startGroup' | 'endGroup'>,
  ) {}

  /**
   * Why the latest listing of the steps failed, when it failed for a passing reason (a timeout, a hung token
   * renewal, a 5xx): a wait that then times out names it, as it names its own last failed read.
   */
  get lastListFailure(): string | undefined {
    return this.listFailure
  }

  /** Failed steps seen so far, with the log lines shown for them (for the job summary). */
  get failedSteps(): FailedStep[] {
    return this.failed
  }

  /** Reads the build's steps and reports what changed since the last read. */
  async update(build: Build): Promise<void> {
    const timeoutMs = this.options.timeoutMs()
    // No step runs before the build does; and no read goes past the wait's deadline.
    if (!build.status || isPending(build.status) || timeoutMs <= 0) return
    let steps: Step[]
    try {
      steps = await listAllSteps(
        this.api,
        { org: this.org, repo: this.repo, build: build.number },
        { timeoutMs: () => this.options.timeoutMs(), signal: this.options.signal },
      )
    } catch (error) {
      if (error instanceof CancelledError) throw error
      if (!this.listFailureSaid)
        this.log.info(`Could not list the steps of build #${build.number}: ${errorText(error)}`)
      this.listFailureSaid = true
      this.listFailure = isTransient(error) ? (error as Error).message : undefined
      return
    }
    this.listFailure = undefined
    for (const step of steps) {
      const stage = step.stage ?? ''
      if (stage && stepStarted(step) && !this.stagesStarted.has(stage)) {
        this.stagesStarted.add(stage)
        this.log.info(`Stage ${quote(stage, 'short')} started`)
      }
      const key = stepKey(step)
      this.sayUnknown(step, key)
      if (stepStarted(step) && !this.started.has(key)) {
        this.started.add(key)
        // A step that started and finished between two reads is reported once, finished.
        if (!stepFinished(step)) this.log.info(`Step ${quote(stepName(step))} started`)
      }
      if (stepFinished(step) && !this.finished.has(key)) {
        this.finished.add(key)
        await this.finish(build, step)
      }
      if (stage) this.finishStage(stage, steps)
    }
  }

  /** Says once a status the action does not know: the step is not taken for ended. */
  private sayUnknown(step: Step, key: string): void {
    const { status } = step
    if (!status || isWaiting(status) || isFinal(status) || this.unknownSaid.has(key)) return
    this.unknownSaid.add(key)
    this.log.info(
      `Step ${quote(stepName(step))} has status ${quote(status, 'word')}, which this action does not know; waiting for it to end`,
    )
  }

  /** Says a stage ended once each of its steps was reported finished, so its end follows its last step's. */
  private finishStage(stage: string, steps: readonly Step[]): void {
    if (!this.stagesStarted.has(stage) || this.stagesFinished.has(stage)) return
    const inStage = steps.filter((s) => s.stage === stage)
    if (!inStage.every((s) => this.finished.has(stepKey(s)))) return
    this.stagesFinished.add(stage)
    this.log.info(`Stage ${quote(stage, 'short')} finished: ${groupEnd(inStage.map((s) => s.status))}`)
  }

  private async finish(build: Build, step: Step): Promise<void> {
    const said = `Step ${quote(stepName(step))}`
    const how = `${safeInline(step.status ?? 'unknown', 'word')}${ranFor(step)}${exitText(step)}`
    const seen = isFailed(step.status) ? failedStepRecord(step) : undefined
    if (seen) this.failed.push(seen)
    if (this.options.mode !== 'all') {
      this.log.info(`${said} finished: ${how}`)
      return
    }
    this.log.startGroup(`${said}: ${how}`)
    try {
      printStepError(step, this.log)
      // A failed step's log too large to read whole is read for its end.
      const stepLog = await this.readLog(build, step, seen !== undefined)
      if (seen) {
        seen.lastLines = this.showTail(stepLog)
        this.count(seen.lastLines)
      } else {
        const lines = logLines(stepLog.text)
        const head = this.capped(lines)
        const cut = lines.length - head.lines.length
        printUntrusted(cut > 0 ? [...head.lines, notShown(cut, head.why)] : head.lines, this.log)
      }
    } catch (error) {
      if (error instanceof CancelledError) throw error
      this.log.info(`No log to show: ${errorText(error)}`)
    } finally {
      this.log.endGroup()
    }
    // Visible without opening the group.
    if (seen) sayEnded(step, seen.lastLines, this.log)
  }

  private readLog(build: Build, step: Step, keepTail: boolean): Promise<StepLog> {
    const timeoutMs = this.options.timeoutMs()
    if (timeoutMs <= 0) throw new Error('the wait-timeout has passed')
    return this.api.getStepLog(this.org, this.repo, build.number, step.number, {
      timeoutMs,
      signal: this.options.signal,
      keepTail,
    })
  }

  /**
   * A failed step's log, its tail from the real end: for the first FAILED_STEPS_SHOWN failed steps always, as
   * `logs: failed` would show them, and after that while the build's cap has room, so the log stays bounded
   * however many steps fail. Answers the tail, which the job summary shows.
   */
  private showTail(stepLog: StepLog): string[] {
    const roomLeft = this.linesShown < STEP_LOG_CAPS.buildLines && this.bytesShown < STEP_LOG_CAPS.buildBytes
    if (this.tailsShown < FAILED_STEPS_SHOWN || roomLeft) {
      this.tailsShown += 1
      return printFailedLog(stepLog, (head) => this.capped(head), this.log)
    }
    this.log.info(`Log not shown: ${BUILD_CAP} is spent; the full log is in Vela`)
    return failedTail(logLines(stepLog.text)).lines
  }

  /** Counts lines shown against the build's caps. */
  private count(lines: readonly string[]): void {
    this.linesShown += lines.length
    this.bytesShown += lines.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0)
  }

  /** The lines from the log's beginning that the per-step and per-build caps leave room for, and which cap cut the rest. */
  private capped(lines: readonly string[]): LogHead {
    const lineRoom = Math.min(STEP_LOG_CAPS.stepLines, STEP_LOG_CAPS.buildLines - this.linesShown)
    const byteRoom = Math.min(STEP_LOG_CAPS.stepBytes, STEP_LOG_CAPS.buildBytes - this.bytesShown)
    const kept: string[] = []
    let bytes = 0
    for (const line of lines) {
      const size = Buffer.byteLength(line, 'utf8') + 1
      if (kept.length >= lineRoom || bytes + size > byteRoom) break
      kept.push(line)
      bytes += size
    }
    this.count(kept)
    const buildCap = lineRoom < STEP_LOG_CAPS.stepLines || byteRoom < STEP_LOG_CAPS.stepBytes
    const why = buildCap
      ? BUILD_CAP
      : `the step's cap of ${STEP_LOG_CAPS.stepLines} lines and ${STEP_LOG_CAPS.stepBytes / 1024} KiB`
    return { lines: kept, why }
  }
}
