import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type FakeVela, type VelaEra } from '../fake-vela/index.js'
import { attachDeployment } from '../src/deploy/attach.js'
import { DeploymentNotFoundError } from '../src/shared/errors.js'
import type { RunRecord } from '../src/run/run-record.js'
import { VelaApi } from '../src/vela/api.js'
import { createAuthenticator } from '../src/vela/auth.js'
import { CancelledError, VelaHttpError } from '../src/vela/errors.js'
import { VelaHttp } from '../src/vela/http.js'
import { Connections } from '../src/vela/proxy.js'
import { deploymentNumber } from '../src/vela/schemas.js'
import { exampleSettings } from './support/example-settings.js'

// Reading an existing deployment by its number, against each era of Vela the fake models: each answers
// GET …/deployments/:org/:repo/:n differently (docs/vela-api.md §1.10).

const TIMEOUT_MS = 5_000
const ORG = 'octo-org'
const ERAS: readonly VelaEra[] = ['v0.22', 'v0.23-v0.25', 'v0.26+']
const servers = new Map<VelaEra, FakeVela>()
const connections = Connections.fromEnv()

beforeAll(async () => {
  for (const era of ERAS) {
    const vela = await startFakeVela({ era })
    vela.addUser('octocat')
    vela.addRepo(ORG, 'app')
    vela.addRepo(ORG, 'other')
    servers.set(era, vela)
  }
})

afterAll(async () => {
  await connections.close()
  for (const vela of servers.values()) await vela.close()
})

function apiFor(vela: FakeVela): VelaApi {
  const credential = {
    kind: 'vela-token',
    token: vela.mintToken('octocat'),
    user: 'octocat',
    expiresAt: undefined,
  } as const
  const http = new VelaHttp(vela.url, connections)
  return new VelaApi(
    http,
    createAuthenticator(http, credential, TIMEOUT_MS, () => undefined),
    TIMEOUT_MS,
  )
}

const silentRuntime = { log: { info: () => undefined } } as never

/** Creates a deployment of `repo` as another job would, and returns its number. */
async function created(api: VelaApi, repo: string): Promise<number> {
  const { deployment } = await api.createDeployment(ORG, repo, {
    target: 'production',
    task: 'deploy:vela',
    description: 'from another job',
    payload: {},
  })
  return deploymentNumber(deployment)
}

describe.each(ERAS)('Vela %s', (era) => {
  it('reads the stored deployment the number names, with GET only', async () => {
    const vela = servers.get(era) as FakeVela
    const api = apiFor(vela)
    // Deployments of another repository first, so the number is not simply the only one there is.
    await created(api, 'other')
    await created(api, 'other')
    const number = await created(api, 'app')
    const record: RunRecord = { settings: exampleSettings({ repo: 'app', deployment: number }) }
    const before = vela.requests.length

    const deployment = await attachDeployment(
      api,
      record,
      number,
      new AbortController().signal,
      silentRuntime,
    )

    expect(deploymentNumber(deployment)).toBe(number)
    expect(record.deployment).toBe(deployment)
    expect(JSON.parse(record.deploymentJson ?? '{}')).toMatchObject({ url: deployment.url })
    // Since v0.23 the stored deployment, with its number; before, GitHub's copy, named by its id.
    if (era === 'v0.22') expect(deployment.id).toBe(number)
    else expect(deployment.number).toBe(number)
    expect(vela.requests.slice(before).every((r) => r.method === 'GET')).toBe(true)
    expect(vela.githubDeploymentsOf(ORG, 'app')).toHaveLength(1)
  })

  it('names an unknown number in one quick error, and creates nothing', async () => {
    const vela = servers.get(era) as FakeVela
    const api = apiFor(vela)
    const record: RunRecord = { settings: exampleSettings({ repo: 'other', deployment: 987_654_321 }) }
    const before = vela.requests.length
    const attempt = attachDeployment(api, record, 987_654_321, new AbortController().signal, silentRuntime)
    await expect(attempt).rejects.toThrow(DeploymentNotFoundError)
    await expect(attempt).rejects.toThrow(
      /^Input 'deployment': Vela has no deployment 987654321 of octo-org\/other/,
    )
    const sent = vela.requests.slice(before)
    expect(sent.length).toBeLessThanOrEqual(2)
    expect(sent.every((r) => r.method === 'GET')).toBe(true)
    expect(record.deployment).toBeUndefined()
  })
})

it('passes on trouble other than Vela not knowing the number', async () => {
  const vela = servers.get('v0.26+') as FakeVela
  const api = apiFor(vela)
  const number = await created(api, 'app')
  vela.injectFault(
    { method: 'GET', path: /\/deployments\/octo-org\/app\/\d+$/ },
    { kind: 'status', status: 401, body: '{"error":"token is expired"}' },
  )
  const record: RunRecord = { settings: exampleSettings({ repo: 'app', deployment: number }) }
  await expect(
    attachDeployment(api, record, number, new AbortController().signal, silentRuntime),
  ).rejects.toThrow(VelaHttpError)
})

it('says, when cancelled while reading, which deployment it was reading and that nothing was created', async () => {
  const vela = servers.get('v0.26+') as FakeVela
  const api = apiFor(vela)
  const number = await created(api, 'app')
  const cancel = new AbortController()
  cancel.abort()
  const record: RunRecord = { settings: exampleSettings({ repo: 'app', deployment: number }) }
  const attempt = attachDeployment(api, record, number, cancel.signal, silentRuntime)
  await expect(attempt).rejects.toThrow(CancelledError)
  await expect(attempt).rejects.toThrow(
    `Cancelled while reading deployment ${number} of octo-org/app; nothing was created`,
  )
})
