import type { Runtime } from '../run/runtime.js'
import type { RunRecord } from '../run/run-record.js'
import { buildPage } from '../run/links.js'
import type { Connections } from '../vela/proxy.js'
import { deploymentNumber } from '../vela/schemas.js'
import { Status } from '../vela/statuses.js'
import { GitHubHttpError } from './errors.js'
import { errorText, safeInline } from '../shared/safe-text.js'
import { CancelledError } from '../vela/errors.js'

// Vela posts GitHub deployment statuses for a deployment's build, but never an `environment_url`, so GitHub
// shows no "View deployment" for it. Once the build succeeded, the action posts one more `success` status
// that carries the URL. GitHub shows a deployment's latest status, so it goes after Vela's own final one.

/** A deployment status as GitHub lists it, newest first. */
export interface DeploymentStatus {
  state: string
}

export interface NewDeploymentStatus {
  state: 'success'
  environment_url: string
  log_url?: string
  environment: string
  description: string
}

/** GitHub's deployment statuses of one repository: the seam between this logic and Octokit. */
export interface DeploymentStatuses {
  /** `owner/repo`, as messages name it. */
  readonly repository: string
  list(deploymentId: number, signal: AbortSignal): Promise<DeploymentStatus[]>
  create(deploymentId: number, status: NewDeploymentStatus, signal: AbortSignal): Promise<void>
}

/** How long to wait for Vela's own final status to appear on GitHub, and how often to look. */
export const VELA_STATUS_WAIT_MS = 10_000
export const VELA_STATUS_POLL_MS = 1_000

/** States that end a deployment on GitHub: Vela posts one of them when the build ends. */
const FINAL_STATES = new Set(['success', 'failure', 'error', 'inactive'])

export interface EnvironmentUrlRequest {
  deploymentId: number
  environmentUrl: string
  /** The Vela build's page, shown by GitHub as the status's log link. */
  buildUrl: string | undefined
  buildNumber: number
  target: string
}

/**
 * Once the build succeeded, shows `environment-url` on GitHub: Octokit is loaded only now, so a run without
 * the input loads nothing more and asks GitHub nothing.
 */
export async function showEnvironmentUrl(
  record: RunRecord,
  connections: Connections,
  signal: AbortSignal,
  runtime: Runtime,
): Promise<void> {
  const { settings, deployment, build } = record
  const { environmentUrl, github } = settings
  if (!environmentUrl || !github || !deployment || build?.status !== Status.success) return
  const { octokitDeploymentStatuses } = await import('./octokit-statuses.js')
  const statuses = octokitDeploymentStatuses({
    ...github,
    owner: settings.org,
    repo: settings.repo,
    timeoutMs: settings.requestTimeoutMs,
    connections,
  })
  const request = {
    deploymentId: deploymentNumber(deployment),
    environmentUrl,
    buildUrl: buildPage(build, settings),
    buildNumber: build.number,
    target: deployment.target ?? settings.target,
  }
  if (await postEnvironmentUrl(statuses, request, signal, runtime)) record.environmentUrl = environmentUrl
}

/**
 * Posts the `success` status with the environment's URL on Vela's GitHub deployment, after Vela's own final
 * status has appeared (or a few seconds went by without it). Returns whether it was posted. GitHub's failures
 * never fail the deploy: each is one warning that says what to change.
 */
export async function postEnvironmentUrl(
  github: DeploymentStatuses,
  request: EnvironmentUrlRequest,
  signal: AbortSignal,
  { log, clock }: Pick<Runtime, 'log' | 'clock'>,
): Promise<boolean> {
  const where = `GitHub deployment ${request.deploymentId} of ${github.repository}`
  try {
    const velaPosted = await waitForVelaStatus(github, request.deploymentId, signal, { log, clock })
    await github.create(request.deploymentId, newStatus(request), signal)
    if (!velaPosted) {
      log.warning(
        `Vela had not posted its final status on ${where} within ${VELA_STATUS_WAIT_MS / 1_000}s; the environment URL was posted anyway, but a status Vela posts later would hide it`,
      )
    }
    log.info(`${where} now shows View deployment: ${safeInline(request.environmentUrl)}`)
    return true
  } catch (error) {
    log.warning(whatToChange(error, where))
    return false
  }
}

function newStatus(request: EnvironmentUrlRequest): NewDeploymentStatus {
  return {
    state: 'success',
    environment_url: request.environmentUrl,
    ...(request.buildUrl ? { log_url: request.buildUrl } : {}),
    environment: request.target,
    description: `Deployed by Vela build #${request.buildNumber}`,
  }
}

/** Whether Vela's final status appeared within VELA_STATUS_WAIT_MS. */
async function waitForVelaStatus(
  github: DeploymentStatuses,
  deploymentId: number,
  signal: AbortSignal,
  { clock }: Pick<Runtime, 'log' | 'clock'>,
): Promise<boolean> {
  const giveUpAt = clock.now() + VELA_STATUS_WAIT_MS
  for (;;) {
    const statuses = await github.list(deploymentId, signal)
    if (statuses.some((status) => FINAL_STATES.has(status.state))) return true
    if (clock.now() + VELA_STATUS_POLL_MS > giveUpAt) return false
    await clock.sleep(VELA_STATUS_POLL_MS, signal)
  }
}

/** The one warning for a failure to reach GitHub: what happened, and what to change. */
function whatToChange(error: unknown, where: string): string {
  const notPosted = `The deploy succeeded, but GitHub was not given the environment URL`
  if (error instanceof CancelledError) return `${notPosted}: the run was cancelled`
  if (error instanceof GitHubHttpError) {
    const answer = `GitHub answered ${error.status}: ${safeInline(error.message)}`
    if (error.status === 401) return `${notPosted} (${answer}): the 'github-token' input is not a valid token`
    if (error.status === 403) {
      return `${notPosted} (${answer}): give the job 'permissions: deployments: write', or pass a 'github-token' that may write deployments`
    }
    if (error.status === 404) {
      return `${notPosted} (${answer}): the token cannot see ${where}; for another repository, pass a 'github-token' with access to it`
    }
    return `${notPosted} (${answer})`
  }
  return `${notPosted}: ${errorText(error)}`
}
