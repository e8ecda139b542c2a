import { OutcomeUnknownError } from '../shared/errors.js'
import { failureMessage } from './failure-message.js'
import { writeOutputs, writeSummary } from './report.js'
import { whereToCheck } from '../run/links.js'
import { createInFlight, failureKind, type RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import { CancelledError } from '../vela/errors.js'
import { deploymentNumber } from '../vela/schemas.js'

/** How a run ended: as it should, or with the error it failed with. */
export type Outcome = { ok: true } | { ok: false; error: unknown }

/**
 * The one way a run ends, whether it finished, failed, or was cancelled and must be out before SIGKILL:
 * the failure line if it failed, then the outputs it knows and the job summary.
 */
export async function finishRun(
  record: RunRecord | undefined,
  outcome: Outcome,
  { log, job }: Pick<Runtime, 'log' | 'job'>,
): Promise<void> {
  if (!outcome.ok) {
    const message = failureMessage(outcome.error, record?.settings)
    if (record) record.failure = { message, kind: failureKind(outcome.error) }
    job.setFailed(message)
    // The stack only under step debug logging.
    if (outcome.error instanceof Error && outcome.error.stack) log.debug(outcome.error.stack)
  }
  if (!record) return
  writeOutputs(record, job)
  await writeSummary(record, { log, job })
}

/** What a run cancelled before it could end by itself fails with: what it had done so far. */
export function cancelledRun(record: RunRecord | undefined): Error {
  if (!record) return new CancelledError('Cancelled before the inputs were read; nothing was sent to Vela')
  const { settings, deployment } = record
  const where = `${settings.org}/${settings.repo}`
  if (settings.deployment !== undefined) {
    return new CancelledError(
      deployment
        ? `Cancelled while following deployment ${settings.deployment} of ${where}${record.build ? `: its build #${record.build.number} was ${record.build.status ?? 'unknown'}` : ''}`
        : `Cancelled while reading deployment ${settings.deployment} of ${where}; nothing was created`,
    )
  }
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
    { cause: new CancelledError('Cancelled') },
  )
}
