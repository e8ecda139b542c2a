import { formatDuration } from '../shared/duration.js'
import type { CancelSignals } from '../runner/signals.js'
import { immediateWarnings } from './diagnose.js'
import { DeploymentRefusedError, OutcomeUnknownError } from '../shared/errors.js'
import { whereToCheck } from '../run/links.js'
import { printUntrusted, type Log } from '../runner/log.js'
import type { RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import { errorText, safeInline } from '../shared/safe-text.js'
import type { Settings } from '../inputs/settings.js'
import type { DeploymentRequest, VelaApi } from '../vela/api.js'
import { BadResponseError, CancelledError, NetworkError, VelaHttpError } from '../vela/errors.js'
import { createMaySendAgain, isTransient, READ_ATTEMPTS, retrying } from '../vela/retry.js'
import {
  deploymentNumber,
  describeEra,
  serverEra,
  type Deployment,
  type DeploymentConfig,
} from '../vela/schemas.js'

/** Attempts in all for the create, when Vela provably did not take it (see createMaySendAgain). */
const CREATE_ATTEMPTS = 3
/** How far back a deployment may have been created and still be ours (covers clock skew). */
const LOOKUP_WINDOW_S = 120
/** How many of the newest deployments the lookup reads. */
const LOOKUP_PAGE_SIZE = 20

type CreateRuntime = Pick<Runtime, 'log' | 'clock'>

interface Created {
  deployment: Deployment
  /** The body Vela answered with, or the recovered deployment as JSON. */
  json: string
  /** Set when the create's answer was lost and the deployment was found by looking for it. */
  recoveredFrom?: string
}

function deploymentRequest(settings: Settings): DeploymentRequest {
  return {
    ...(settings.ref === undefined ? {} : { ref: settings.ref }),
    target: settings.target,
    task: settings.task,
    description: settings.description,
    payload: settings.parameters,
  }
}

/** The dry run: prints the create request exactly as `createDeploymentOnce` would send it, and sends nothing. */
export function previewDeployment(api: VelaApi, settings: Settings, log: Log): string {
  const authorization =
    settings.credential.kind === 'vela-token'
      ? 'Bearer *** (the Vela access token)'
      : 'Bearer *** (a Vela access token, which POST /authenticate/token gives for the personal access token)'
  const request = api.previewCreate(settings.org, settings.repo, deploymentRequest(settings), authorization)
  const text = [
    `${request.method} ${request.url.href}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    '',
    JSON.stringify(JSON.parse(request.body ?? '{}'), null, 2),
  ].join('\n')
  log.info(
    'Dry run: everything is valid. Nothing is sent; this is the request that would create the deployment:',
  )
  printUntrusted(text.split('\n'), log)
  return text
}

/**
 * Creates the deployment and records it. Never sends it twice: it is sent again only when it provably did
 * not reach Vela, or Vela asked for a retry with Retry-After. When the outcome is unknown, it looks for the
 * deployment instead. A cancel (the second signal) while the create is in flight leaves the outcome unknown.
 */
export async function createDeploymentOnce(
  api: VelaApi,
  record: RunRecord,
  cancel: Pick<CancelSignals, 'create'>,
  runtime: CreateRuntime,
): Promise<Deployment> {
  const { settings } = record
  const { log } = runtime
  const where = `${settings.org}/${settings.repo}`
  log.info(
    `Creating a Vela deployment of ${where} to ${settings.target}${settings.ref ? ` at ${settings.ref}` : ''}`,
  )
  const { deployment, json, recoveredFrom } = await sendCreateWithSafeRetries(
    api,
    record,
    cancel.create,
    runtime,
  )
  log.debug(`Vela's create answer shows ${describeEra(serverEra(deployment))}`)
  record.deployment = deployment
  record.deploymentJson = json
  const number = deploymentNumber(deployment)
  if (recoveredFrom) {
    log.warning(
      `The create request's answer was lost (${recoveredFrom}), but Vela holds deployment ${number} matching it; carrying on with that one`,
    )
  }
  log.info(
    `Created Vela deployment ${number} of ${where}: commit ${safeInline(deployment.commit ?? 'unknown', 'short')}, ref ${safeInline(deployment.ref ?? '')}, target ${safeInline(deployment.target ?? '')}${recordId(deployment)}`,
  )
  for (const warning of immediateWarnings(deployment, settings.org, settings.repo)) log.warning(warning)
  return deployment
}

/**
 * Sends the create, and again (up to CREATE_ATTEMPTS in all) only after an answer that proves Vela did not
 * take it; an answer that leaves the outcome unknown ends in a search for the deployment instead.
 */
async function sendCreateWithSafeRetries(
  api: VelaApi,
  record: RunRecord,
  signal: AbortSignal,
  runtime: CreateRuntime,
): Promise<Created> {
  const { settings } = record
  const body = deploymentRequest(settings)
  const startedAt = Math.floor(runtime.clock.now() / 1_000)
  // Sent once an attempt left with its token: an error before that (the token exchange) means not sent.
  const send = async () => {
    record.createSent = false
    return api.createDeployment(settings.org, settings.repo, body, {
      signal,
      onSend: () => {
        record.createSent = true
      },
    })
  }
  try {
    const { deployment, text } = await retrying(send, {
      attempts: CREATE_ATTEMPTS,
      retryable: createMaySendAgain,
      signal,
      clock: runtime.clock,
      onRetry: (error, delayMs) => {
        // That attempt provably did not create it; until the next one leaves, nothing is in flight.
        record.createSent = false
        runtime.log.info(
          `Vela did not take the request (${describeBriefly(error)}); sending it again in ${formatDuration(delayMs)}`,
        )
      },
    })
    return { deployment, json: text }
  } catch (error) {
    if (error instanceof CancelledError) throw cancelled(settings, record.createSent === true, error)
    if (!record.createSent) throw error
    if (error instanceof VelaHttpError && error.status === 400) {
      throw await refusal(api, settings, error, signal)
    }
    if (!outcomeUnknown(error)) throw error
    const found = await lookForDeployment(api, settings, body, startedAt, signal, error, runtime)
    if (found)
      return { deployment: found, json: JSON.stringify(found), recoveredFrom: describeBriefly(error) }
    if (error instanceof VelaHttpError && error.serverMessage !== undefined) throw error
    if (error instanceof BadResponseError) {
      throw new OutcomeUnknownError(
        `${error.message}. Vela most likely created the deployment but it could not be found: check ${whereToCheck(settings)} before running this again`,
        { cause: error },
      )
    }
    throw new OutcomeUnknownError(
      `The create request may or may not have reached Vela (${describeBriefly(error)}), and Vela lists no matching deployment yet. The deployment may or may not exist: check ${whereToCheck(settings)} before running this again`,
      { cause: error },
    )
  }
}

/** The number is what Vela's UI and the `number` output show; Vela's own record id (the `id` output) differs. */
function recordId(deployment: Deployment): string {
  return deployment.number !== undefined && deployment.id !== undefined
    ? ` (the deployment number; Vela's record id is ${deployment.id})`
    : ''
}

/** A cancel while the create was in flight leaves its outcome unknown; one between attempts does not. */
function cancelled(settings: Settings, inFlight: boolean, cause: CancelledError): Error {
  const where = `${settings.org}/${settings.repo}`
  if (!inFlight) {
    return new CancelledError(
      `Cancelled before Vela took the create request: no deployment of ${where} was created`,
      {
        cause,
      },
    )
  }
  return new OutcomeUnknownError(
    `Cancelled while the create request was in flight: the deployment of ${where} may or may not exist; check ${whereToCheck(settings)} before running this again`,
    { cause },
  )
}

/** Errors after which the deployment may exist although we got no 201. A TLS failure ends before HTTP. */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof NetworkError) return !error.requestNotSent && error.failure !== 'tls'
  if (error instanceof VelaHttpError) return error.status >= 500
  if (error instanceof BadResponseError) return error.status >= 200 && error.status < 300
  return false
}

function describeBriefly(error: unknown): string {
  if (error instanceof VelaHttpError) {
    if (error.serverMessage) return `HTTP ${error.status}: ${error.serverMessage}`
    return error.bodySummary ?? `HTTP ${error.status}`
  }
  return errorText(error)
}

/** Finds a deployment matching what we sent, created by our user since we started. */
async function lookForDeployment(
  api: VelaApi,
  settings: Settings,
  body: DeploymentRequest,
  startedAt: number,
  signal: AbortSignal,
  cause: unknown,
  runtime: CreateRuntime,
): Promise<Deployment | undefined> {
  runtime.log.warning(
    `The create request's outcome is unknown (${describeBriefly(cause)}); looking for the deployment in Vela`,
  )
  const user = api.auth.user()
  let deployments: Deployment[]
  try {
    deployments = await retrying(
      () => api.listDeployments(settings.org, settings.repo, LOOKUP_PAGE_SIZE, { signal }),
      { attempts: READ_ATTEMPTS, retryable: isTransient, signal, clock: runtime.clock },
    )
  } catch (error) {
    throw new OutcomeUnknownError(
      `The create request may or may not have reached Vela (${describeBriefly(cause)}), and listing deployments failed too (${describeBriefly(error)}). The deployment may or may not exist: check ${whereToCheck(settings)} before running this again`,
      { cause },
    )
  }
  const matches = deployments.filter(
    (d) =>
      d.target === body.target &&
      d.task === body.task &&
      d.description === body.description &&
      payloadMatches(d, body.payload) &&
      (body.ref === undefined || d.ref === body.ref) &&
      (user === undefined || d.created_by === undefined || d.created_by === user) &&
      (d.created_at === undefined || d.created_at >= startedAt - LOOKUP_WINDOW_S),
  )
  // Two candidates mean another run sent the same request (a custom description names no run): neither is
  // provably ours.
  if (matches.length > 1) {
    runtime.log.warning(
      `Vela holds ${matches.length} deployments matching the create request (${matches.map((d) => deploymentNumber(d)).join(', ')}); another run sent the same one, so none is taken as this run's`,
    )
    return undefined
  }
  return matches[0]
}

/** Vela answers the payload as an object of strings, `{}` (older servers: null) when none was sent. */
function samePayload(answered: unknown, sent: Record<string, string>): boolean {
  const payload = answered ?? {}
  if (typeof payload !== 'object' || Array.isArray(payload)) return false
  const entries = Object.entries(payload)
  return (
    entries.length === Object.keys(sent).length &&
    entries.every(([key, value]) => Object.hasOwn(sent, key) && sent[key] === value)
  )
}

/**
 * Whether a listed deployment carries the parameters we sent. When GitHub's webhook reaches Vela before the
 * create stores the deployment, the webhook stores it, and Vela v0.23–v0.25 keep none of its parameters on
 * it (recorded from v0.25.3; v0.26 keeps them), only on the build it links: there, that build must carry ours.
 */
function payloadMatches(deployment: Deployment, sent: Record<string, string>): boolean {
  if (samePayload(deployment.payload, sent)) return true
  return (
    serverEra(deployment) === 'v0.23-v0.25' &&
    samePayload(deployment.payload, {}) &&
    (deployment.builds ?? []).some((build) => samePayload(build.deploy_payload, sent))
  )
}

/** A 400: Vela's reason, and for a deployment config's refusal what the config allows. */
async function refusal(
  api: VelaApi,
  settings: Settings,
  error: VelaHttpError,
  signal: AbortSignal,
): Promise<DeploymentRefusedError> {
  let allowed = ''
  if (error.serverMessage?.includes('deployment config')) {
    try {
      const config = await api.getDeploymentConfig(settings.org, settings.repo, settings.ref, { signal })
      allowed = ` ${describeConfig(config)}`
    } catch {
      // The refusal itself is what matters; the config is only a hint.
    }
  }
  return new DeploymentRefusedError(`Vela refused the deployment (400: ${error.said}).${allowed}`, {
    cause: error,
  })
}

function describeConfig(config: DeploymentConfig): string {
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
    'message',
  )
}
