import * as core from '@actions/core'
import { appendFileSync } from 'node:fs'
import { whereToCheck } from '../deploy/create.js'
import { ActionError, OutcomeUnknownError } from '../shared/errors.js'
import { failureMessage } from './failure-message.js'
import { renderSummary, writeOutputs } from './report.js'
import { createInFlight, type RunRecord } from '../run/run-record.js'
import { errorText } from '../shared/safe-text.js'
import { CancelledError, VelaError } from '../vela/errors.js'
import { deploymentNumber } from '../vela/schemas.js'

// How a run that does not succeed ends: one failure line, and, for a cancel the runner will soon follow with
// SIGKILL, what is known written out at once.

/**
 * A cancelled run that has not ended before SIGKILL could land: fails with what is known, sets the known
 * outputs and writes the summary synchronously, as the process exits right after.
 */
export function lastWords(record: RunRecord | undefined): void {
  if (!record) {
    core.setFailed('Cancelled before the inputs were read; nothing was sent to Vela')
    return
  }
  if (!record.failure) fail(cancelledRun(record), record)
  writeOutputs(record)
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  try {
    appendFileSync(file, `${renderSummary(record)}\n`)
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorText(error)}`)
  }
}

function cancelledRun(record: RunRecord): Error {
  const { settings, deployment } = record
  const where = `${settings.org}/${settings.repo}`
  if (deployment) {
    return new CancelledError(
      `Cancelled: deployment ${deploymentNumber(deployment)} of ${where} was created${record.build ? ` and its build #${record.build.number} was ${record.build.status ?? 'unknown'}` : ''}`,
    )
  }
  if (!createInFlight(record)) {
    return new CancelledError(
      `Cancelled before the create request was sent: no deployment of ${where} was created`,
    )
  }
  return new OutcomeUnknownError(
    `Cancelled before Vela answered the create request: the deployment of ${where} may or may not exist; check ${whereToCheck(settings)} before running this again`,
  )
}

/** Fails the step with one line; the stack only under step debug logging. */
export function fail(error: unknown, record: RunRecord | undefined): void {
  const message = failureMessage(error, record?.settings)
  const code = error instanceof ActionError || error instanceof VelaError ? error.code : undefined
  if (record) record.failure = { message, code }
  core.setFailed(message)
  if (error instanceof Error && error.stack) core.debug(error.stack)
}
