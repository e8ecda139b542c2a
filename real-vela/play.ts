// What playing a scenario takes on any Vela, real or fake: the calls its owner makes beside the action, the
// run's inputs, and the moment the scenario cancels.
import type { AnswerMatch, Exchange, RecordingProxy } from './recorder.js'
import { actionInputs, OWNER, type Scenario } from './scenarios.js'

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
  vela: { url: string; ownerToken: string },
  proxy: RecordingProxy,
  token: string,
): Promise<Record<string, string>> {
  const inputs = actionInputs(scenario, proxy.url, token)
  if (scenario.attach) {
    const path = `/api/v1/deployments/${OWNER}/${scenario.name}`
    const body = { ref: 'main', target: 'production' }
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

function createOf(scenario: Scenario): AnswerMatch {
  return { method: 'POST', path: new RegExp(`^/api/v1/deployments/${OWNER}/${scenario.name}$`) }
}

/** Resolves once the action has read the scenario's build running: when its cancel comes. */
export function buildRunning(scenario: Scenario, proxy: RecordingProxy): Promise<Exchange> {
  const readsBuild = new RegExp(`/${OWNER}/${scenario.name}(/builds|/\\d+$)`)
  return proxy.next(
    (e) => e.method === 'GET' && readsBuild.test(e.path) && e.body.includes('"status":"running"'),
  )
}

/** The owner cancels the scenario's build in Vela, as from its UI: the repository's first and only build. */
export async function cancelInVela(scenario: Scenario, vela: { url: string; ownerToken: string }) {
  const path = `/api/v1/repos/${OWNER}/${scenario.name}/builds/1/cancel`
  await callVela(vela.url, vela.ownerToken, 'DELETE', path)
}
