import * as core from '@actions/core'
import { listenForCancel } from './cancel.js'
import { createDeployment, previewDeployment } from './deploy.js'
import { ActionError } from './errors.js'
import { failureMessage } from './failure-message.js'
import { writeOutputs, writeSummary } from './report.js'
import type { RunRecord } from './run-record.js'
import { liveRuntime, type Runtime } from './runtime.js'
import { getSettings, type Settings } from './settings.js'
import { VelaApi } from './vela/api.js'
import { createAuthenticator } from './vela/auth.js'
import { closeConnections } from './vela/client.js'
import { VelaError } from './vela/errors.js'
import { describeEra, serverEra } from './vela/schemas.js'

/** Reads the inputs, creates the deployment (or shows it, in a dry run), follows its build if asked, reports. */
export async function run(runtime: Runtime = liveRuntime): Promise<void> {
  const cancel = listenForCancel()
  let record: RunRecord | undefined
  try {
    const settings = await getSettings()
    record = { settings }
    for (const warning of settings.payloadWarnings) core.warning(warning)
    const api = connect(settings)
    if (settings.dryRun) {
      record.dryRunRequest = previewDeployment(api, settings, runtime.log)
      return
    }
    const deployment = await createDeployment(api, record, cancel, runtime)
    runtime.log.debug(`Vela's create answer shows ${describeEra(serverEra(deployment))}`)
    if (settings.wait) {
      // Loaded only when waiting, so a plain create starts faster.
      const { followBuild } = await import('./wait.js')
      await followBuild(api, record, deployment, cancel.wait, runtime)
    }
  } catch (error) {
    fail(error, record)
  } finally {
    cancel.dispose()
    if (record) {
      writeOutputs(record)
      await writeSummary(record)
    }
    await closeConnections()
  }
}

/** A Vela client for the settings; every token the server hands out is masked before anything can print it. */
function connect(settings: Settings): VelaApi {
  const { server, credential, requestTimeoutMs } = settings
  return new VelaApi(
    server,
    createAuthenticator(server, credential, requestTimeoutMs, core.setSecret),
    requestTimeoutMs,
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
