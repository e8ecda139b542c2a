import { listenForCancel } from './runner/signals.js'
import { attachDeployment } from './deploy/attach.js'
import { createDeploymentOnce, previewDeployment } from './deploy/create.js'
import { cancelAbandonedBuild } from './follow/cancel-build.js'
import { followDeployment } from './follow/follow-deployment.js'
import { cancelledRun, finishRun, type Outcome } from './report/finish.js'
import { createInFlight, type RunRecord } from './run/run-record.js'
import { liveRuntime, type Runtime } from './run/runtime.js'
import { readSettings, type Settings } from './inputs/settings.js'
import type { Job } from './runner/job.js'
import { VelaApi } from './vela/api.js'
import { createAuthenticator } from './vela/auth.js'
import { VelaHttp } from './vela/http.js'
import { Connections } from './vela/proxy.js'
import { showEnvironmentUrl } from './github/environment-url.js'
import type { Deployment } from './vela/schemas.js'

/** Reads the inputs, creates the deployment (or shows it, in a dry run), follows its build if asked, reports. */
export async function run(runtime: Runtime = liveRuntime): Promise<void> {
  let record: RunRecord | undefined
  let connections: Connections | undefined
  // However the run ends (by itself, or by the cancel's deadline), it ends once.
  let ending: Promise<void> | undefined
  const end = (outcome: Outcome) => (ending ??= finishRun(record, outcome, runtime))
  const cancel = listenForCancel(
    runtime.log,
    () => end({ ok: false, error: cancelledRun(record) }),
    () => createInFlight(record),
  )
  try {
    record = { settings: await readSettings(runtime.clock.now(), process.env, runtime.job) }
    for (const warning of record.settings.warnings) runtime.log.warning(warning)
    connections = Connections.fromEnv(process.env)
    await deploy(record, connections, cancel, runtime)
    await end({ ok: true })
  } catch (error) {
    await end({ ok: false, error })
  } finally {
    await connections?.close()
    // Only now: the runner's SIGTERM, if it lands while the run reports, must not cut the report short.
    cancel.dispose()
  }
}

async function deploy(
  record: RunRecord,
  connections: Connections,
  cancel: ReturnType<typeof listenForCancel>,
  runtime: Runtime,
): Promise<void> {
  const { settings } = record
  const api = connect(settings, connections, runtime.job)
  if (settings.dryRun) {
    record.dryRunRequest = previewDeployment(api, settings, runtime.log)
    return
  }
  if (settings.deployment !== undefined) {
    const deployment = await attachDeployment(api, record, settings.deployment, cancel.wait, runtime)
    await follow(api, record, deployment, cancel.wait, runtime)
  } else {
    const deployment = await createDeploymentOnce(api, record, cancel, runtime)
    if (!settings.wait) return
    await follow(api, record, deployment, cancel.wait, runtime)
  }
  await showEnvironmentUrl(record, connections, cancel.wait, runtime)
}

/** Follows the deployment's build; with `cancel-build-on-abort`, a build the wait gives up on is cancelled. */
async function follow(
  api: VelaApi,
  record: RunRecord,
  deployment: Deployment,
  signal: AbortSignal,
  runtime: Runtime,
): Promise<void> {
  try {
    await followDeployment(api, record, deployment, signal, runtime)
  } catch (error) {
    if (!record.settings.cancelBuildOnAbort) throw error
    throw await cancelAbandonedBuild(api, record, deployment, error, runtime)
  }
}

/** A Vela client for the settings; every token the server hands out is masked before anything can print it. */
function connect(settings: Settings, connections: Connections, job: Job): VelaApi {
  const { credential, requestTimeoutMs } = settings
  const http = new VelaHttp(settings.server, connections)
  return new VelaApi(
    http,
    createAuthenticator(http, credential, requestTimeoutMs, (token) => {
      job.mask(token)
    }),
    requestTimeoutMs,
  )
}
