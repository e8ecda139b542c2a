import * as core from '@actions/core'
import { BadResponseError, NetworkError, OutcomeUnknownError, VelaHttpError } from './errors.js'
import { createMaySendAgain, isTransient, retrying, type Sleep } from './retry.js'
import { safeInline } from './safe-text.js'
import type { Settings } from './settings.js'
import type { DeploymentRequest, VelaApi } from './vela/api.js'
import { deploymentNumber, type Deployment, type DeploymentConfig } from './vela/schemas.js'

export interface CreatedDeployment {
  deployment: Deployment
  /** The body Vela answered with, for the `deployment` output. */
  text: string
  /** Set when the create's answer was lost and the deployment was found by looking for it. */
  recoveredFrom?: string
}

const CREATE_ATTEMPTS = 3
/** How far back a deployment may have been created and still be ours (covers clock skew). */
const LOOKUP_WINDOW_S = 120

export function deploymentRequest(settings: Settings): DeploymentRequest {
  return {
    ...(settings.ref === undefined ? {} : { ref: settings.ref }),
    target: settings.target,
    task: settings.task,
    description: settings.description,
    payload: settings.parameters,
  }
}

/**
 * Creates the deployment, never twice: it is sent again only when it provably did not reach Vela, or Vela
 * asked for a retry with Retry-After. When the outcome is unknown, it looks for the deployment instead.
 */
export async function createDeployment(
  api: VelaApi,
  settings: Settings,
  signal: AbortSignal,
  sleep?: Sleep,
): Promise<CreatedDeployment> {
  const body = deploymentRequest(settings)
  const startedAt = Math.floor(Date.now() / 1_000)
  try {
    return await retrying(() => api.createDeployment(settings.org, settings.repo, body, { signal }), {
      attempts: CREATE_ATTEMPTS,
      retryable: createMaySendAgain,
      signal,
      sleep,
      onRetry: (error, delayMs) => {
        core.info(
          `Vela did not take the request (${describeBriefly(error)}); sending it again in ${Math.ceil(delayMs / 1000)}s`,
        )
      },
    })
  } catch (error) {
    if (error instanceof VelaHttpError && error.status === 400) {
      throw await withDeploymentConfig(api, settings, error, signal)
    }
    if (!outcomeUnknown(error)) throw error
    const found = await lookForDeployment(api, settings, body, startedAt, signal, error)
    if (found) {
      return { deployment: found, text: JSON.stringify(found), recoveredFrom: describeBriefly(error) }
    }
    if (error instanceof VelaHttpError && error.serverMessage !== undefined) throw error
    if (error instanceof BadResponseError) {
      throw new OutcomeUnknownError(
        `${error.message}. Vela most likely created the deployment but it could not be found: check ${deploymentsPage(settings)} before running this again`,
      )
    }
    throw new OutcomeUnknownError(
      `The create request may or may not have reached Vela (${describeBriefly(error)}), and Vela lists no matching deployment yet. The deployment may or may not exist: check ${deploymentsPage(settings)} before running this again`,
    )
  }
}

/** Errors after which the deployment may exist although we got no 201. */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof NetworkError) return !error.requestNotSent
  if (error instanceof VelaHttpError) return error.status >= 500
  if (error instanceof BadResponseError) return error.status >= 200 && error.status < 300
  return false
}

function describeBriefly(error: unknown): string {
  if (error instanceof VelaHttpError)
    return `HTTP ${error.status}${error.serverMessage ? `: ${error.serverMessage}` : ''}`
  return error instanceof Error ? error.message : String(error)
}

function deploymentsPage(settings: Settings): string {
  return settings.uiUrl
    ? `${settings.uiUrl}/${settings.org}/${settings.repo}/deployments`
    : `the deployments of ${settings.org}/${settings.repo} in Vela (or the repository's GitHub deployments)`
}

/** Finds a deployment matching what we sent, created by our user since we started. */
async function lookForDeployment(
  api: VelaApi,
  settings: Settings,
  body: DeploymentRequest,
  startedAt: number,
  signal: AbortSignal,
  cause: unknown,
): Promise<Deployment | undefined> {
  core.warning(
    `The create request's outcome is unknown (${describeBriefly(cause)}); looking for the deployment in Vela`,
  )
  const user = api.auth.user()
  let deployments: Deployment[]
  try {
    deployments = await retrying(() => api.listDeployments(settings.org, settings.repo, 20, { signal }), {
      attempts: 3,
      retryable: isTransient,
      signal,
    })
  } catch (error) {
    throw new OutcomeUnknownError(
      `The create request may or may not have reached Vela (${describeBriefly(cause)}), and listing deployments failed too (${describeBriefly(error)}). The deployment may or may not exist: check ${deploymentsPage(settings)} before running this again`,
    )
  }
  const matches = deployments.filter(
    (d) =>
      d.target === body.target &&
      d.task === body.task &&
      d.description === body.description &&
      (body.ref === undefined || d.ref === body.ref) &&
      (user === undefined || d.created_by === undefined || d.created_by === user) &&
      (d.created_at === undefined || d.created_at >= startedAt - LOOKUP_WINDOW_S),
  )
  return matches.sort((a, b) => deploymentNumber(b) - deploymentNumber(a))[0]
}

/** A 400 from the pipeline's deployment config: add the targets and parameters it allows to the message. */
async function withDeploymentConfig(
  api: VelaApi,
  settings: Settings,
  error: VelaHttpError,
  signal: AbortSignal,
): Promise<VelaHttpError> {
  if (!error.serverMessage?.includes('deployment config')) return error
  try {
    const config = await api.getDeploymentConfig(settings.org, settings.repo, settings.ref, { signal })
    error.hint = describeConfig(config)
  } catch {
    // The rejection itself is what matters; the config is only a hint.
  }
  return error
}

export function describeConfig(config: DeploymentConfig): string {
  const targets = config.targets?.length ? config.targets.join(', ') : 'any'
  const parameters = Object.entries(config.parameters ?? {}).map(([name, p]) => {
    const facts = [
      p.required ? 'required' : undefined,
      p.type ? p.type : undefined,
      p.options?.length ? `one of ${p.options.join('|')}` : undefined,
      p.max ? `${p.min ?? 0}..${p.max}` : undefined,
    ].filter(Boolean)
    return facts.length ? `${name} (${facts.join(', ')})` : name
  })
  return safeInline(
    `The pipeline allows targets: ${targets}; parameters: ${parameters.length ? parameters.join(', ') : 'any'}`,
    1000,
  )
}
