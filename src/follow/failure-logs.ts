import type { Log } from '../runner/log.js'
import type { FailedStep } from '../run/run-record.js'
import { errorText, quote, safeInline } from '../shared/safe-text.js'
import type { VelaApi } from '../vela/api.js'
import type { Build, Step } from '../vela/schemas.js'
import { isFailed } from '../vela/statuses.js'
import {
  exitText,
  FAILED_STEPS_SHOWN,
  failedStepRecord,
  printFailedLog,
  printStepError,
  sayEnded,
  stepName,
  TAIL_ONLY,
} from './failed-step.js'
import { listAllSteps } from './step-list.js'

const TIMEOUT_MS = 10_000

type FailureApi = Pick<VelaApi, 'listSteps' | 'getStepLog'>

/**
 * For `logs: failed`: prints the tail of each failed step's log in a collapsed group, and returns what it
 * showed for the job summary. Best effort: a build that failed is the message; not being able to show why
 * only earns a warning.
 */
export async function showFailedSteps(
  api: FailureApi,
  org: string,
  repo: string,
  build: Build,
  signal: AbortSignal,
  log: Log,
): Promise<FailedStep[]> {
  let steps: Step[]
  try {
    steps = await listAllSteps(
      api,
      { org, repo, build: build.number },
      { timeoutMs: () => TIMEOUT_MS, signal },
    )
  } catch (error) {
    log.warning(`Could not list the steps of build #${build.number}: ${errorText(error)}`)
    return []
  }
  const failed = steps.filter((s) => isFailed(s.status))
  const shown: FailedStep[] = []
  for (const step of failed.slice(0, FAILED_STEPS_SHOWN)) {
    shown.push(await showFailedStep(api, { org, repo, build: build.number, signal }, step, log))
  }
  if (failed.length > FAILED_STEPS_SHOWN)
    log.info(`${failed.length - FAILED_STEPS_SHOWN} more failed steps are not shown`)
  return shown
}

async function showFailedStep(
  api: FailureApi,
  where: { org: string; repo: string; build: number; signal: AbortSignal },
  step: Step,
  log: Log,
): Promise<FailedStep> {
  const seen = failedStepRecord(step)
  const status = safeInline(step.status ?? '', 'word')
  log.startGroup(`Step ${quote(stepName(step))} ended in ${status}${exitText(step)}: last lines of its log`)
  try {
    printStepError(step, log)
    const stepLog = await api.getStepLog(where.org, where.repo, where.build, step.number, {
      timeoutMs: TIMEOUT_MS,
      signal: where.signal,
      keepTail: true,
    })
    seen.lastLines = printFailedLog(stepLog, TAIL_ONLY, log)
  } catch (error) {
    log.info(`No log to show: ${errorText(error)}`)
  } finally {
    log.endGroup()
  }
  // Visible without opening the group.
  sayEnded(step, seen.lastLines, log)
  return seen
}
