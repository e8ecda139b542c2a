import { printUntrusted, type Log } from '../runner/log.js'
import type { FailedStep } from '../run/run-record.js'
import { errorText, safeInline } from '../shared/safe-text.js'
import type { VelaApi } from '../vela/api.js'
import type { Build, Step } from '../vela/schemas.js'
import { isFailed } from '../vela/statuses.js'

const MAX_STEPS = 3
const MAX_LINES = 50
/** Caps besides the line count: one line of a log can be megabytes. */
const MAX_LINE_CHARS = 2_000
const MAX_TAIL_CHARS = 20_000
const TIMEOUT_MS = 10_000

/**
 * Prints the tail of each failed step's log in a collapsed group, and returns what it showed for the job
 * summary. Best effort: a build that failed is the message; not being able to show why only earns a warning.
 */
export async function showFailedSteps(
  api: Pick<VelaApi, 'listSteps' | 'getStepLog'>,
  org: string,
  repo: string,
  build: Build,
  signal: AbortSignal,
  log: Log,
): Promise<FailedStep[]> {
  let steps: Step[]
  try {
    steps = await api.listSteps(org, repo, build.number, { timeoutMs: TIMEOUT_MS, signal })
  } catch (error) {
    log.warning(`Could not list the steps of build #${build.number}: ${errorText(error)}`)
    return []
  }
  const failed = steps.filter((s) => isFailed(s.status)).sort((a, b) => a.number - b.number)
  const shown: FailedStep[] = []
  for (const step of failed.slice(0, MAX_STEPS)) {
    const seen: FailedStep = {
      name: step.name ?? `step ${step.number}`,
      status: step.status ?? '',
      exitCode: step.exit_code || undefined,
      lastLines: [],
    }
    shown.push(seen)
    const name = safeInline(seen.name, 'short')
    const exit = seen.exitCode ? `, exit code ${seen.exitCode}` : ''
    log.startGroup(
      `Step "${name}" ended in ${safeInline(step.status ?? '', 'word')}${exit}: last lines of its log`,
    )
    try {
      if (step.error) printUntrusted([`error: ${step.error}`], log)
      const text = await api.getStepLog(org, repo, build.number, step.number, {
        timeoutMs: TIMEOUT_MS,
        signal,
      })
      seen.lastLines = logTail(text, log)
      printUntrusted(seen.lastLines, log)
    } catch (error) {
      log.info(`No log to show: ${errorText(error)}`)
    } finally {
      log.endGroup()
    }
    // Visible without opening the group.
    const why = step.error || seen.lastLines.filter((line) => line.trim() !== '').at(-1)
    if (why)
      log.info(`Step "${name}" ended in ${safeInline(step.status ?? '', 'word')}${exit}: ${safeInline(why)}`)
  }
  if (failed.length > MAX_STEPS) log.info(`${failed.length - MAX_STEPS} more failed steps are not shown`)
  return shown
}

/** The last lines of a log, each cut to MAX_LINE_CHARS, and together at most MAX_TAIL_CHARS. */
function logTail(text: string, log: Log): string[] {
  const lines = text.replace(/\n$/, '').split('\n')
  const tail: string[] = []
  let size = 0
  for (const line of lines.slice(-MAX_LINES).reverse()) {
    const cut = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… (line cut)` : line
    if (size + cut.length > MAX_TAIL_CHARS) break
    size += cut.length
    tail.unshift(cut)
  }
  if (lines.length > tail.length) log.info(`(${lines.length - tail.length} earlier lines not shown)`)
  return tail
}
