import * as core from '@actions/core'
import { listenForCancel } from './runner/signals.js'
import { createDeployment, previewDeployment } from './deploy/create.js'
import { fail, lastWords } from './report/finish.js'
import { writeOutputs, writeSummary } from './report/report.js'
import { createInFlight, type RunRecord } from './run/run-record.js'
import { liveRuntime, type Runtime } from './run/runtime.js'
import { getSettings, type Settings } from './inputs/settings.js'
import { VelaApi } from './vela/api.js'
import { createAuthenticator } from './vela/auth.js'
import { closeConnections, useProxySettings } from './vela/client.js'
import type { Deployment } from './vela/schemas.js'

/** Reads the inputs, creates the deployment (or shows it, in a dry run), follows its build if asked, reports. */
export async function run(runtime: Runtime = liveRuntime): Promise<void> {
  let record: RunRecord | undefined
  let reporting = false
  const cancel = listenForCancel(
    () => {
      if (!reporting) lastWords(record)
    },
    () => createInFlight(record),
  )
  try {
    const settings = await getSettings()
    record = { settings }
    for (const warning of settings.warnings) core.warning(warning)
    const api = connect(settings)
    if (settings.dryRun) {
      record.dryRunRequest = previewDeployment(api, settings, runtime.log)
      return
    }
    if (settings.deployment !== undefined) {
      const { attachDeployment } = await import('./deploy/attach.js')
      const deployment = await attachDeployment(api, record, settings.deployment, cancel.wait, runtime)
      await follow(api, record, deployment, cancel.wait, runtime)
      return
    }
    const deployment = await createDeployment(api, record, cancel, runtime)
    if (settings.wait) await follow(api, record, deployment, cancel.wait, runtime)
  } catch (error) {
    fail(error, record)
  } finally {
    reporting = true
    try {
      if (record) {
        writeOutputs(record)
        await writeSummary(record)
      }
      await closeConnections()
    } finally {
      // Only now: the runner's SIGTERM, if it lands while the run reports, must not cut the report short.
      cancel.dispose()
    }
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
  const { followDeployment } = await import('./follow/follow-deployment.js')
  try {
    await followDeployment(api, record, deployment, signal, runtime)
  } catch (error) {
    if (!record.settings.cancelBuildOnAbort) throw error
    // Loaded only when asked for, so a cancelled run without it ends as fast as before.
    const { cancelAbandonedBuild } = await import('./follow/cancel-build.js')
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
