import { printUntrusted, type Log } from '../runner/log.js'
import type { FailedStep } from '../run/run-record.js'
import { quote, safeInline } from '../shared/safe-text.js'
import type { Step } from '../vela/schemas.js'
import { LOG_TAIL_BYTES, type StepLog } from '../vela/step-log.js'

// What the action shows of a failed step, the same whichever `logs` mode shows it: its name, its own
// error, the tail of its log from the real end, and one line outside its group saying how it ended.

/** How many failed steps' tails are always shown: `logs: failed` shows these, and `logs: all` never less. */
export const FAILED_STEPS_SHOWN = 3

/** A failed step's tail: its last lines, and caps besides the line count, as one line can be megabytes. */
export const FAILED_TAIL_CAPS = { lines: 50, lineChars: 2_000, chars: 20_000 } as const

/** A step's name as said everywhere; a step without one is named by its number. */
export function stepName(step: Step): string {
  return step.name?.trim() ? step.name : `step ${step.number}`
}

/** `, exit code 3`, or nothing when the step has none. */
export function exitText(step: Step): string {
  return step.exit_code ? `, exit code ${step.exit_code}` : ''
}

/** A log's lines, without the line break that ends the last; an empty log has none. */
export function logLines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n')
}

/** What of a log's beginning is shown before its tail, and why the rest of it is not. */
export interface LogHead {
  lines: string[]
  /** Why the lines after `lines` and before the tail are not shown. */
  why: string
}

/** The line that stands for the lines of a log that are not shown. */
export function notShown(count: number, why: string): string {
  return `… ${count} more lines not shown (${why}); the full log is in Vela`
}

/** Nothing of the log's beginning: only its tail is shown. */
export const TAIL_ONLY = (): LogHead => ({
  lines: [],
  why: `a failed step's log shows its last ${FAILED_TAIL_CAPS.lines} lines, ${FAILED_TAIL_CAPS.chars / 1_000}k characters at most`,
})

/** The tail of a failed step's log: its last lines, each cut to the line cap, together within the tail's cap. */
export function failedTail(lines: readonly string[]): { from: number; lines: string[] } {
  const { lineChars } = FAILED_TAIL_CAPS
  const tail: string[] = []
  let size = 0
  for (const line of lines.slice(-FAILED_TAIL_CAPS.lines).reverse()) {
    const cut = line.length > lineChars ? `${line.slice(0, lineChars)}… (line cut)` : line
    if (size + cut.length > FAILED_TAIL_CAPS.chars) break
    size += cut.length
    tail.unshift(cut)
  }
  return { from: lines.length - tail.length, lines: tail }
}

/** A failed step as the job summary names it; its last lines come once its log is read. */
export function failedStepRecord(step: Step): FailedStep {
  return {
    name: stepName(step),
    status: step.status ?? '',
    exitCode: step.exit_code || undefined,
    lastLines: [],
  }
}

/** The step's own error, before its log. */
export function printStepError(step: Step, log: Pick<Log, 'info'>): void {
  if (step.error) printUntrusted([`error: ${safeInline(step.error, 'message')}`], log)
}

/** Stands for the beginning of a log too large to read whole, whose end alone was read. */
const NOT_READ = `… earlier lines not shown (only the log's last ${LOG_TAIL_BYTES / 1024 / 1024} MiB were read); the full log is in Vela`

/**
 * Prints a failed step's log, fenced from commands: what `keepHead` keeps of its beginning, a line saying what
 * was left out, then its tail, always, from the real end. Answers the tail.
 */
export function printFailedLog(
  stepLog: StepLog,
  keepHead: (head: string[]) => LogHead,
  log: Pick<Log, 'info'>,
): string[] {
  const lines = logLines(stepLog.text)
  const tail = failedTail(lines)
  if (stepLog.cutAtStart) {
    printUntrusted([NOT_READ, ...tail.lines], log)
    return tail.lines
  }
  const head = keepHead(lines.slice(0, tail.from))
  const cut = tail.from - head.lines.length
  printUntrusted([...head.lines, ...(cut > 0 ? [notShown(cut, head.why)] : []), ...tail.lines], log)
  return tail.lines
}

/** How a failed step ended and why (its error, or its log's last line), said outside its collapsed group. */
export function sayEnded(step: Step, tail: readonly string[], log: Pick<Log, 'info'>): void {
  const why = step.error || tail.filter((line) => line.trim() !== '').at(-1)
  const status = safeInline(step.status ?? 'unknown', 'word')
  log.info(
    `Step ${quote(stepName(step))} ended in ${status}${exitText(step)}${why ? `: ${safeInline(why)}` : ''}`,
  )
}
