import * as core from '@actions/core'
import { createDeployment, deploymentRequest } from './deploy.js'
import { describeFailure, type FailureContext } from './describe.js'
import { formatDuration } from './duration.js'
import { explainMissingBuild, immediateWarnings } from './diagnose.js'
import { BuildFailedError, CancelledError, OutcomeUnknownError, WaitTimeoutError } from './errors.js'
import { buildLink, setBuildOutputs, setDeploymentOutputs, writeSummary, type RunRecord } from './report.js'
import { sleep } from './retry.js'
import { defuseLine, printUntrusted, safeInline } from './safe-text.js'
import { getSettings, type Settings } from './settings.js'
import { VelaApi } from './vela/api.js'
import { createAuthenticator } from './vela/auth.js'
import { buildUrl, closeConnections } from './vela/client.js'
import { deploymentNumber, type Deployment } from './vela/schemas.js'
import type { WaitProgress } from './wait.js'

/** After a cancel, the process exits by this time even if something still holds it open. */
const CANCEL_GRACE_MS = 3_000

/**
 * The runner sends SIGINT on cancel, then SIGTERM. The first signal stops waiting at once; a create in flight
 * is left to finish (aborting it would leave its outcome unknown) until the second signal.
 */
function listenForCancel(): { wait: AbortSignal; create: AbortSignal; dispose(): void } {
  const wait = new AbortController()
  const create = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (wait.signal.aborted) {
      create.abort()
      return
    }
    core.info(`Received ${signal}: stopping`)
    wait.abort()
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    wait: wait.signal,
    create: create.signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}

export async function run(): Promise<void> {
  const cancel = listenForCancel()
  const context: FailureContext = {}
  let record: RunRecord | undefined
  try {
    const settings = await getSettings()
    Object.assign(context, { org: settings.org, repo: settings.repo, server: settings.server })
    record = { settings }
    for (const warning of settings.payloadWarnings) core.warning(warning)

    if (settings.dryRun) {
      record.dryRunRequest = dryRun(settings)
      return
    }

    const auth = createAuthenticator(settings.server, settings.credential, settings.requestTimeoutMs)
    context.auth = auth
    const api = new VelaApi(settings.server, auth, settings.requestTimeoutMs)
    const deployment = await create(api, settings, cancel, record)
    if (settings.wait) await waitForBuild(api, settings, deployment, cancel.wait, record)
  } catch (error) {
    const message = defuseLine(describeFailure(error, context))
    if (record) record.failure = message
    core.setFailed(message)
    if (error instanceof Error && error.stack) core.debug(error.stack)
  } finally {
    cancel.dispose()
    if (record) await writeSummary(record)
    await closeConnections()
  }
}

function dryRun(settings: Settings): string {
  const url = buildUrl(settings.server, ['api', 'v1', 'deployments', settings.org, settings.repo])
  const auth =
    settings.credential.kind === 'vela-token'
      ? 'Authorization: Bearer *** (the Vela access token)'
      : `Authorization: Bearer *** (a Vela token from POST ${buildUrl(settings.server, ['authenticate', 'token']).href}, exchanged for the personal access token)`
  const request = [
    `POST ${url.href}`,
    auth,
    'Content-Type: application/json',
    '',
    JSON.stringify(deploymentRequest(settings), null, 2),
  ].join('\n')
  core.info(
    'Dry run: everything is valid. Nothing is sent; this is the request that would create the deployment:',
  )
  printUntrusted(request.split('\n'))
  return request
}

async function create(
  api: VelaApi,
  settings: Settings,
  cancel: { wait: AbortSignal; create: AbortSignal },
  record: RunRecord,
): Promise<Deployment> {
  const where = `${settings.org}/${settings.repo}`
  core.info(
    `Creating a Vela deployment of ${where} to ${settings.target}${settings.ref ? ` at ${settings.ref}` : ''}`,
  )
  let created
  try {
    created = await createDeployment(api, settings, cancel.create)
  } catch (error) {
    if (error instanceof CancelledError) {
      throw new OutcomeUnknownError(
        `Cancelled while the create request was in flight: the deployment of ${where} may or may not exist; check Vela before running this again`,
      )
    }
    throw error
  }
  const { deployment, text, recoveredFrom } = created
  record.deployment = deployment
  setDeploymentOutputs(deployment, text)
  const number = deploymentNumber(deployment)
  if (recoveredFrom) {
    core.warning(
      `The create request's answer was lost (${recoveredFrom}), but Vela holds deployment ${number} matching it; carrying on with that one`,
    )
  }
  core.info(
    `Created Vela deployment ${number} of ${where}: commit ${safeInline(deployment.commit ?? 'unknown', 64)}, ref ${safeInline(deployment.ref ?? '', 200)}, target ${safeInline(deployment.target ?? '', 200)}`,
  )
  for (const warning of immediateWarnings(deployment, settings.org, settings.repo)) core.warning(warning)
  return deployment
}

async function waitForBuild(
  api: VelaApi,
  settings: Settings,
  deployment: Deployment,
  signal: AbortSignal,
  record: RunRecord,
): Promise<void> {
  // Loaded only when waiting, so a plain create starts faster.
  const [{ waitForBuild: follow, SUCCESS }, { showFailedSteps }] = await Promise.all([
    import('./wait.js'),
    import('./failure-logs.js'),
  ])
  const { org, repo } = settings
  const number = deploymentNumber(deployment)
  const progress: WaitProgress = { build: undefined }
  const noteBuild = () => {
    if (!progress.build) return
    record.build = progress.build
    record.buildUrl = buildLink(progress.build, settings)
    setBuildOutputs(progress.build, record.buildUrl)
  }
  let result
  try {
    result = await follow(
      {
        org,
        repo,
        number,
        commit: deployment.commit,
        createdAt: deployment.created_at,
        serverLinksBuilds: deployment.number !== undefined,
      },
      {
        pollIntervalMs: settings.pollIntervalMs,
        deadline: Date.now() + settings.waitTimeoutMs,
        requestTimeoutMs: settings.requestTimeoutMs,
        signal,
      },
      { api, now: Date.now, sleep, log: core },
      progress,
    )
  } catch (error) {
    noteBuild()
    if (error instanceof CancelledError)
      throw new CancelledError(`Cancelled while waiting: ${standing(progress, record)}`)
    throw error
  } finally {
    noteBuild()
  }

  if (result.kind === 'timed-out') {
    const lastError = result.lastError ? ` Last error: ${result.lastError}.` : ''
    if (result.build) {
      throw new WaitTimeoutError(
        `Timed out after ${formatDuration(settings.waitTimeoutMs)}: ${standing(progress, record)}.${lastError}`,
      )
    }
    const why = await explainMissingBuild(api, org, repo, deployment, settings.target, signal)
    throw new WaitTimeoutError(
      `Timed out after ${formatDuration(settings.waitTimeoutMs)}: Vela created no build for deployment ${number}.${lastError} Likely reasons: ${why}`,
    )
  }
  const { build } = result
  if (build.status === SUCCESS) {
    core.info(
      `Build #${build.number} succeeded${record.buildUrl ? `: ${safeInline(record.buildUrl, 300)}` : ''}`,
    )
    return
  }
  await showFailedSteps(api, org, repo, build, signal)
  const error = build.error ? ` (${safeInline(build.error, 300)})` : ''
  throw new BuildFailedError(
    build.status ?? 'unknown',
    `Build #${build.number} ended with status ${safeInline(build.status ?? 'unknown', 30)}${error}${record.buildUrl ? `: ${safeInline(record.buildUrl, 300)}` : ''}`,
  )
}

function standing(progress: WaitProgress, record: RunRecord): string {
  const build = progress.build
  if (!build) return 'Vela had not created the build yet'
  return `build #${build.number} was ${safeInline(build.status ?? 'unknown', 30)}${record.buildUrl ? ` (${safeInline(record.buildUrl, 300)})` : ''}`
}
