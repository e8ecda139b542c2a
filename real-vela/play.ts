// What playing a scenario takes on any Vela, real or fake: the calls its owner makes beside the action, the
// run's inputs, and the moment the scenario cancels.
import { randomBytes } from 'node:crypto'
import { signJwt } from '../fake-vela/jwt.js'
import type { BuildPlan } from '../fake-vela/types.js'
import { WEBHOOK_DELAY_MS } from '../github-standin/index.js'
import { POLL_MS, STEP_MS } from '../worker-standin/index.js'
import type { AnswerMatch, Exchange, RecordingProxy } from './recorder.js'
import {
  actionInputs,
  OWNER,
  PARAMETERS,
  READER,
  REVOKED,
  type PipelineStep,
  type Scenario,
} from './scenarios.js'

/** A Vela server, real or fake, and a token of the repositories' owner there. */
export interface AsOwner {
  url: string
  ownerToken: string
}

/** A Vela API call made by someone other than the action; fails on any status but 2xx. */
export async function callVela(
  server: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(server + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
  return JSON.parse(text) as unknown
}

/** The run's inputs; for a scenario that follows a deployment, the owner creates it first. */
export async function inputsOf(
  scenario: Scenario,
  vela: AsOwner,
  proxy: RecordingProxy,
  token: string,
): Promise<Record<string, string>> {
  const inputs = actionInputs(scenario, proxy.url, token)
  if (scenario.attach) {
    const path = `/api/v1/deployments/${OWNER}/${scenario.name}`
    const body = { ref: 'main', target: 'production', payload: PARAMETERS }
    const created = (await callVela(vela.url, vela.ownerToken, 'POST', path, body)) as {
      id: number
      number?: number
    }
    // Before v0.23 the deployment's number is its id.
    inputs.deployment = String(created.number ?? created.id)
  }
  if (scenario.loseCreateAnswer) proxy.loseAnswer(createOf(scenario))
  return inputs
}

/**
 * Waits until the deployment the owner created has its build, as it has by the time a later job follows it
 * (on v0.22 Vela lists a deployment's builds by their source; later, the webhook links them).
 */
export async function untilBuilt(scenario: Scenario, vela: AsOwner): Promise<void> {
  const path = `/api/v1/deployments/${OWNER}/${scenario.name}`
  for (let tries = 0; tries < 100; tries++) {
    const [deployment] = (await callVela(vela.url, vela.ownerToken, 'GET', path)) as Array<{
      builds?: unknown[]
    }>
    if (deployment?.builds?.length) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`Vela linked no build to the deployment of ${scenario.name}`)
}

function createOf(scenario: Scenario): AnswerMatch {
  return { method: 'POST', path: new RegExp(`^/api/v1/deployments/${OWNER}/${scenario.name}$`) }
}

/**
 * Resolves once the action has read the steps of the scenario's build while it runs: when its cancel comes.
 * The action lists the steps only of a build it holds, so by then it knows the build, whichever way it found it.
 */
export function buildRunning(scenario: Scenario, proxy: RecordingProxy): Promise<Exchange> {
  const readsSteps = new RegExp(`/${OWNER}/${scenario.name}/builds/\\d+/steps\\?`)
  return proxy.next(
    (e) => e.method === 'GET' && readsSteps.test(e.path) && e.body.includes('"status":"running"'),
  )
}

/** The owner cancels the scenario's build in Vela, as from its UI: the repository's first and only build. */
export async function cancelInVela(scenario: Scenario, vela: AsOwner) {
  const path = `/api/v1/repos/${OWNER}/${scenario.name}/builds/1/cancel`
  await callVela(vela.url, vela.ownerToken, 'DELETE', path)
}

/** How a Vela, real or fake, gives out the scenarios' credentials. */
export interface Accounts {
  /** A personal access token of the user that GitHub knows. */
  personalToken(user: string): string
  /** A Vela access token of the user, from this server. */
  velaToken(user: string): string
  /** The user revokes Vela's access on GitHub: the login Vela stored no longer works. */
  revokeLogin(user: string): void
}

/** The token the scenario runs with. */
export function credentialOf(scenario: Scenario, accounts: Accounts): string {
  switch (scenario.credential) {
    case 'owner-pat':
      return accounts.personalToken(OWNER)
    case 'owner-vela-token':
      return accounts.velaToken(OWNER)
    case 'unknown-pat':
      return `ghp_${randomBytes(18).toString('hex')}`
    case 'foreign-vela-token': {
      const now = Math.floor(Date.now() / 1000)
      const claims = {
        sub: OWNER,
        token_type: 'UserAccess',
        is_active: true,
        is_admin: false,
        iat: now,
        exp: now + 3600,
      }
      return signJwt(claims, randomBytes(32))
    }
    case 'reader-pat':
      return accounts.personalToken(READER)
    case 'revoked-pat':
      accounts.revokeLogin(REVOKED)
      return accounts.personalToken(REVOKED)
  }
}

/** Longer than any wait: how long a step of a build that never ends runs. */
const HOUR_MS = 3_600_000

/**
 * The build as the worker stand-in runs it, for the fake Vela: created when GitHub's webhook arrives, taken
 * by the worker's next read of the queue, then init, clone and the pipeline's steps one after another.
 */
export function fakeBuildPlan(
  steps: PipelineStep[],
  options: { stepMs?: number; hang?: boolean } = {},
): BuildPlan {
  const stepMs = options.stepMs ?? STEP_MS
  const all = [
    { name: 'init', status: 'success', log: '$ init\n' },
    { name: 'clone', status: 'success', log: '$ clone\n' },
    ...steps,
  ].map((step) => ({ ...step, runMs: options.hang ? HOUR_MS : stepMs }))
  const failed = all.some((s) => s.status === 'failure')
  const ends = options.hang
    ? []
    : [{ status: failed ? 'failure' : 'success', afterMs: POLL_MS + stepMs * all.length }]
  return {
    webhookDelayMs: WEBHOOK_DELAY_MS,
    steps: all,
    timeline: [{ status: 'pending', afterMs: 0 }, { status: 'running', afterMs: POLL_MS }, ...ends],
  }
}
