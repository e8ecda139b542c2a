import * as core from '@actions/core'
import { errorText, printUntrusted, safeInline } from './safe-text.js'
import type { VelaApi } from './vela/api.js'
import type { Build, Step } from './vela/schemas.js'

const MAX_STEPS = 3
const MAX_LINES = 50
const TIMEOUT_MS = 10_000
const FAILED_STEP = new Set(['failure', 'error'])

/**
 * Prints the tail of each failed step's log in a collapsed group. Best effort: a build that failed
 * is the message; not being able to show why only earns a warning.
 */
export async function showFailedSteps(
  api: VelaApi,
  org: string,
  repo: string,
  build: Build,
  signal: AbortSignal,
): Promise<void> {
  let steps: Step[]
  try {
    steps = await api.listSteps(org, repo, build.number, { timeoutMs: TIMEOUT_MS, signal })
  } catch (error) {
    core.warning(`Could not list the steps of build #${build.number}: ${errorText(error, 300)}`)
    return
  }
  const failed = steps.filter((s) => FAILED_STEP.has(s.status ?? '')).sort((a, b) => a.number - b.number)
  for (const step of failed.slice(0, MAX_STEPS)) {
    const name = safeInline(step.name ?? `step ${step.number}`, 100)
    const exit = step.exit_code ? `, exit code ${step.exit_code}` : ''
    core.startGroup(
      `Step "${name}" ended in ${safeInline(step.status ?? '', 20)}${exit}: last lines of its log`,
    )
    try {
      if (step.error) printUntrusted([`error: ${step.error}`])
      const log = await api.getStepLog(org, repo, build.number, step.number, {
        timeoutMs: TIMEOUT_MS,
        signal,
      })
      const lines = log.replace(/\n$/, '').split('\n')
      if (lines.length > MAX_LINES) core.info(`(${lines.length - MAX_LINES} earlier lines not shown)`)
      printUntrusted(lines.slice(-MAX_LINES))
    } catch (error) {
      core.info(`No log to show: ${errorText(error, 300)}`)
    } finally {
      core.endGroup()
    }
  }
  if (failed.length > MAX_STEPS) core.info(`${failed.length - MAX_STEPS} more failed steps are not shown`)
}
