import * as core from '@actions/core'
import { appendFileSync } from 'node:fs'
import { listenForCancel } from './cancel.js'
import { createDeployment, previewDeployment, whereToCheck } from './deploy.js'
import { ActionError, OutcomeUnknownError } from './errors.js'
import { failureMessage } from './failure-message.js'
import { renderSummary, writeOutputs, writeSummary } from './report.js'
import type { RunRecord } from './run-record.js'
import { liveRuntime, type Runtime } from './runtime.js'
import { errorText } from './safe-text.js'
import { getSettings, type Settings } from './settings.js'
import { VelaApi } from './vela/api.js'
import { createAuthenticator } from './vela/auth.js'
import { closeConnections, useProxySettings } from './vela/client.js'
import { CancelledError, VelaError } from './vela/errors.js'
import { deploymentNumber, describeEra, serverEra, type Deployment } from './vela/schemas.js'

/** Reads the inputs, creates the deployment (or shows it, in a dry run), follows its build if asked, reports. */
export async function run(runtime: Runtime = liveRuntime): Promise<void> {
  let record: RunRecord | undefined
  let reported = false
  const cancel = listenForCancel(() => {
    if (!reported) lastWords(record)
  })
  try {
    const settings = await getSettings()
    record = { settings }
    for (const warning of settings.payloadWarnings) core.warning(warning)
    const api = connect(settings)
    if (settings.dryRun) {
      record.dryRunRequest = previewDeployment(api, settings, runtime.log)
      return
    }
    if (settings.deployment !== undefined) {
      const { attachDeployment } = await import('./attach.js')
      const deployment = await attachDeployment(api, record, settings.deployment, cancel.wait, runtime)
      await follow(api, record, deployment, cancel.wait, runtime)
      return
    }
    record.createStarted = true
    const deployment = await createDeployment(api, record, cancel, runtime)
    runtime.log.debug(`Vela's create answer shows ${describeEra(serverEra(deployment))}`)
    if (settings.wait) await follow(api, record, deployment, cancel.wait, runtime)
  } catch (error) {
    fail(error, record)
  } finally {
    cancel.dispose()
    if (record) {
      writeOutputs(record)
      await writeSummary(record)
    }
    reported = true
    await closeConnections()
  }
}

/** Follows the deployment's build; with `cancel-build-on-abort`, a build the wait gives up on is cancelled. */
async function follow(
  api: VelaApi,
  record: RunRecord,
  deployment: Deployment,
  signal: AbortSignal,
  runtime: Runtime,
): Promise<void> {
  // Loaded only when waiting, so a plain create starts faster.
  const { followBuild } = await import('./wait.js')
  try {
    await followBuild(api, record, deployment, signal, runtime)
  } catch (error) {
    if (!record.settings.cancelBuildOnAbort) throw error
    // Loaded only when asked for, so a cancelled run without it ends as fast as before.
    const { cancelAbandonedBuild } = await import('./cancel-build.js')
    throw await cancelAbandonedBuild(api, record, error, runtime)
  }
}

/** A Vela client for the settings; every token the server hands out is masked before anything can print it. */
function connect(settings: Settings): VelaApi {
  const { server, credential, requestTimeoutMs } = settings
  useProxySettings()
  return new VelaApi(
    server,
    createAuthenticator(server, credential, requestTimeoutMs, core.setSecret),
    requestTimeoutMs,
  )
}

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
  if (!record.createStarted || record.dryRunRequest !== undefined) {
    return new CancelledError(
      `Cancelled before the create request was sent: no deployment of ${where} was created`,
    )
  }
  return new OutcomeUnknownError(
    `Cancelled before Vela answered the create request: the deployment of ${where} may or may not exist; check ${whereToCheck(settings)} before running this again`,
  )
}

/** Fails the step with one line; the stack only under step debug logging. */
function fail(error: unknown, record: RunRecord | undefined): void {
  const message = failureMessage(error, record?.settings)
  const code = error instanceof ActionError || error instanceof VelaError ? error.code : undefined
  if (record) record.failure = { message, code }
  core.setFailed(message)
  if (error instanceof Error && error.stack) core.debug(error.stack)
}
