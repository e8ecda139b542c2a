import { describe, expect, it } from '@jest/globals'
import { VirtualClock } from './support/virtual-clock.js'
import { createDeploymentOnce, previewDeployment } from '../src/deploy/create.js'
import { DeploymentRefusedError, OutcomeUnknownError } from '../src/shared/errors.js'
import type { Log } from '../src/runner/log.js'
import type { RunRecord } from '../src/run/run-record.js'
import type { Settings } from '../src/inputs/settings.js'
import { VelaApi } from '../src/vela/api.js'
import type { Authenticator } from '../src/vela/auth.js'
import { VelaHttp } from '../src/vela/http.js'
import { Connections } from '../src/vela/proxy.js'
import {
  BadResponseError,
  CancelledError,
  NetworkError,
  TokenExchangeError,
  VelaHttpError,
  type NetworkFailure,
} from '../src/vela/errors.js'
import type { Deployment, DeploymentConfig } from '../src/vela/schemas.js'
import { EXAMPLE_VELA_TOKEN, exampleSettings } from './support/example-settings.js'
import { NO_ANSWER, scriptedVela, type CreateOutcome, type VelaScript } from './support/scripted-vela.js'

// The create must never reach Vela twice. These tests drive createDeploymentOnce against a fake VelaApi that
// answers each create attempt from a plan, and a virtual clock, so retries and their waits cost nothing.

const START_MS = 1_700_000_000_000
const START_S = START_MS / 1_000
const CREATE_PATH = '/api/v1/deployments/octo-org/app'

class RecordingLog implements Log {
  readonly infos: string[] = []
  readonly warnings: string[] = []
  readonly groups: string[] = []
  info = (message: string) => {
    this.infos.push(message)
  }
  warning = (message: string) => {
    this.warnings.push(message)
  }
  debug = () => undefined
  startGroup = (title: string) => {
    this.groups.push(title)
  }
  endGroup = () => {
    this.groups.push('(end)')
  }
}

type Plan = VelaScript & { creates: CreateOutcome[] }

function start(plan: Plan, overrides: Partial<Settings> = {}, cancel = new AbortController()) {
  const clock = new VirtualClock(START_MS)
  const log = new RecordingLog()
  const vela = scriptedVela(clock, plan)
  const record: RunRecord = { settings: exampleSettings(overrides) }
  const done = createDeploymentOnce(vela.api, record, { create: cancel.signal }, { log, clock }).then(
    (deployment) => ({ deployment, error: undefined }),
    (error: unknown) => ({ deployment: undefined, error }),
  )
  return { clock, log, vela, record, done, cancel }
}

async function run(plan: Plan, overrides: Partial<Settings> = {}) {
  const started = start(plan, overrides)
  return { ...started, ...(await started.done) }
}

// --- Errors as the Vela client raises them -------------------------------------------------------------

const notSent = (failure: NetworkFailure, what: string) =>
  new NetworkError(failure, `cannot reach vela.example.com: ${what}`)
const connectionRefused = () => notSent('connection-refused', 'connection refused (ECONNREFUSED)')
const timedOut = () => new NetworkError('timeout', `POST ${CREATE_PATH} got no complete answer within 30s`)
const http = (
  status: number,
  extra: { serverMessage?: string; bodySummary?: string; retryAfterMs?: number },
) => new VelaHttpError({ method: 'POST', path: CREATE_PATH, status, ...extra })
const brokenBody = () =>
  new BadResponseError(
    'malformed',
    `POST ${CREATE_PATH} answered 201 with a body that is not JSON (HTTP 201, application/json, body starts "{"num")`,
    201,
  )

const CREATED = JSON.stringify({
  id: 9042,
  number: 42,
  commit: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/heads/main',
  target: 'production',
  task: 'deploy:vela',
  created_by: 'octocat',
  repo: { full_name: 'octo-org/app', active: true, allow_events: { deployment: { created: true } } },
})

/** A deployment as Vela lists it, matching what the example settings send, unless `overrides` say otherwise. */
function listed(overrides: Partial<Deployment> = {}): Deployment {
  const settings = exampleSettings()
  return {
    id: 9077,
    number: 77,
    commit: 'fedcba9876543210fedcba9876543210fedcba98',
    ref: settings.ref,
    target: settings.target,
    task: settings.task,
    description: settings.description,
    payload: settings.parameters,
    created_by: 'octocat',
    created_at: START_S + 1,
    ...overrides,
  }
}

describe('createDeploymentOnce: created on the first try', () => {
  it('records the deployment and keeps the server text as sent', async () => {
    const text = `{ "id": 9042, "number": 42,  "target": "production", "ref": "refs/heads/main", "commit": "0123456789abcdef",\n "extra": {"kept": true} }\n`
    const t = await run({ creates: [text] })

    expect(t.error).toBeUndefined()
    expect(t.deployment?.number).toBe(42)
    expect(t.record.deployment?.number).toBe(42)
    expect(t.record.deploymentJson).toBe(text)
    expect(t.vela.sent).toEqual([
      {
        ref: 'refs/heads/main',
        target: 'production',
        task: 'deploy:vela',
        description: exampleSettings().description,
        payload: { region: 'eu-west-1' },
      },
    ])
    expect(t.log.infos).toEqual([
      'Creating a Vela deployment of octo-org/app to production at refs/heads/main',
      "Created Vela deployment 42 of octo-org/app: commit 0123456789abcdef, ref refs/heads/main, target production (the deployment number; Vela's record id is 9042)",
    ])
    expect(t.log.warnings).toEqual([])
    expect(t.vela.listings).toEqual([])
  })

  it('sends no ref when none was given, so Vela uses the default branch', async () => {
    const t = await run({ creates: [CREATED] }, { ref: undefined })
    expect(t.vela.sent[0]).not.toHaveProperty('ref')
    expect(t.log.infos[0]).toBe('Creating a Vela deployment of octo-org/app to production')
  })

  it('names a deployment from a server older than v0.23 by its id', async () => {
    const t = await run({ creates: ['{"id": 9}'] })
    expect(t.record.deployment?.id).toBe(9)
    expect(t.log.infos[1]).toMatch(/^Created Vela deployment 9 of octo-org\/app: commit unknown,/)
  })

  it.each([
    {
      name: 'an inactive repository',
      repo: { active: false },
      warnings: [/octo-org\/app marked inactive, so it creates no build/],
    },
    {
      name: 'the deployment event disabled',
      repo: { active: true, allow_events: { deployment: { created: false } } },
      warnings: [/octo-org\/app has the deployment event disabled in Vela/],
    },
    {
      name: 'both',
      repo: { active: false, allow_events: { deployment: { created: false } } },
      warnings: [/marked inactive/, /deployment event disabled/],
    },
  ])('warns at once about $name', async ({ repo, warnings }) => {
    const t = await run({ creates: [JSON.stringify({ number: 42, repo })] })
    expect(t.error).toBeUndefined()
    expect(t.log.warnings).toHaveLength(warnings.length)
    warnings.forEach((pattern, i) => {
      expect(t.log.warnings[i]).toMatch(pattern)
    })
    expect(t.log.infos.some((line) => /inactive|disabled/.test(line))).toBe(false)
  })
})

describe('createDeploymentOnce: sent again only when Vela provably did not take it', () => {
  it.each([
    { name: 'connection refused', error: connectionRefused(), brief: /cannot reach .*ECONNREFUSED/ },
    {
      name: 'a host name that does not resolve',
      error: notSent('dns', 'the host name does not resolve (ENOTFOUND)'),
      brief: /ENOTFOUND/,
    },
    {
      name: 'a connect timeout',
      error: notSent('connect-timeout', 'connecting timed out (UND_ERR_CONNECT_TIMEOUT)'),
      brief: /connecting timed out/,
    },
    {
      name: 'a proxy that refuses the tunnel',
      error: new NetworkError(
        'proxy-refused',
        'the HTTP proxy refused to connect to vela.example.com: Proxy response !== 200',
      ),
      brief: /proxy refused/,
    },
  ])('sends it again after $name, after a short backoff', async ({ error, brief }) => {
    const t = await run({ creates: [error, CREATED] })

    expect(t.error).toBeUndefined()
    expect(t.record.deployment?.number).toBe(42)
    expect(t.vela.sent).toHaveLength(2)
    expect(t.vela.sent[1]).toEqual(t.vela.sent[0])
    expect(t.clock.sleeps).toHaveLength(1)
    expect(t.clock.sleeps[0]).toBeGreaterThanOrEqual(500)
    expect(t.clock.sleeps[0]).toBeLessThanOrEqual(1_000)
    const again = t.log.infos.filter((line) => line.includes('sending it again'))
    expect(again).toEqual([expect.stringMatching(/^Vela did not take the request \(/)])
    expect(again[0]).toMatch(brief)
    expect(again[0]).toMatch(/sending it again in 1s$/)
    expect(t.vela.listings).toEqual([])
    expect(t.log.warnings).toEqual([])
  })

  it.each([
    { status: 429, retryAfterMs: 5_000, slept: 5_000, said: 'in 5s' },
    { status: 503, retryAfterMs: 2_000, slept: 2_000, said: 'in 2s' },
    { status: 429, retryAfterMs: 0, slept: 0, said: 'in under 1s' },
    { status: 503, retryAfterMs: 3_600_000, slept: 60_000, said: 'in 1m' },
  ])(
    'after $status with Retry-After $retryAfterMs ms, waits $slept ms and sends it again',
    async ({ status, retryAfterMs, slept, said }) => {
      const t = await run({
        creates: [http(status, { serverMessage: 'too busy, come back later', retryAfterMs }), CREATED],
      })

      expect(t.error).toBeUndefined()
      expect(t.vela.sent).toHaveLength(2)
      expect(t.clock.sleeps).toEqual([slept])
      expect(t.log.infos).toContain(
        `Vela did not take the request (HTTP ${status}: too busy, come back later); sending it again ${said}`,
      )
    },
  )

  it('gives up after 3 attempts in all when the connection is refused every time', async () => {
    const last = connectionRefused()
    const t = await run({ creates: [connectionRefused(), connectionRefused(), last] })

    expect(t.error).toBe(last)
    expect(t.vela.sent).toHaveLength(3)
    expect(t.clock.sleeps).toHaveLength(2)
    expect(t.log.infos.filter((line) => line.includes('sending it again'))).toHaveLength(2)
    // It provably never reached Vela, so there is nothing to look for.
    expect(t.vela.listings).toEqual([])
    expect(t.record.deployment).toBeUndefined()
  })

  it('gives up after 3 attempts in all when Vela keeps answering 429 with Retry-After', async () => {
    const busy = () => http(429, { serverMessage: 'rate limit exceeded', retryAfterMs: 10_000 })
    const last = busy()
    const t = await run({ creates: [busy(), busy(), last, CREATED] })

    expect(t.error).toBe(last)
    expect(t.vela.sent).toHaveLength(3)
    expect(t.clock.sleeps).toEqual([10_000, 10_000])
  })

  it.each([
    { name: 'a timeout', error: timedOut() },
    {
      name: 'a connection reset',
      error: new NetworkError(
        'connection-reset',
        'cannot reach vela.example.com: the connection was closed before an answer arrived (ECONNRESET)',
      ),
    },
    {
      name: 'a socket error',
      error: new NetworkError('socket', 'request to vela.example.com failed: other side closed'),
    },
    { name: '500', error: http(500, { serverMessage: 'unable to create new deployment for octo-org/app' }) },
    { name: '502', error: http(502, { bodySummary: 'HTTP 502, text/html, body starts "Bad Gateway"' }) },
    { name: '504', error: http(504, { bodySummary: 'HTTP 504, text/html, body starts "Gateway Timeout"' }) },
    { name: '503 without Retry-After', error: http(503, { serverMessage: 'unavailable' }) },
    { name: 'a 201 with a broken body', error: brokenBody() },
    { name: '429 without Retry-After', error: http(429, { serverMessage: 'rate limit exceeded' }) },
  ])('never sends it twice after $name', async ({ error }) => {
    const t = await run({ creates: [error, CREATED, CREATED] })

    expect(t.error).toBeDefined()
    expect(t.vela.sent).toHaveLength(1)
    expect(t.record.deployment).toBeUndefined()
    expect(t.log.infos.some((line) => line.includes('sending it again'))).toBe(false)
  })
})

describe('createDeploymentOnce: looking for the deployment after a lost answer', () => {
  it('adopts the matching deployment and says the answer was lost', async () => {
    const ours = listed()
    const t = await run({ creates: [timedOut()], lists: [[ours]] })

    expect(t.error).toBeUndefined()
    expect(t.vela.sent).toHaveLength(1)
    expect(t.vela.listings).toEqual([{ where: 'octo-org/app', perPage: 20 }])
    expect(t.record.deployment).toEqual(ours)
    expect(JSON.parse(t.record.deploymentJson ?? '')).toEqual(ours)
    expect(t.log.warnings).toEqual([
      `The create request's outcome is unknown (POST ${CREATE_PATH} got no complete answer within 30s); looking for the deployment in Vela`,
      `The create request's answer was lost (POST ${CREATE_PATH} got no complete answer within 30s), but Vela holds deployment 77 matching it; carrying on with that one`,
    ])
    expect(t.log.infos).toContain(
      "Created Vela deployment 77 of octo-org/app: commit fedcba9876543210fedcba9876543210fedcba98, ref refs/heads/main, target production (the deployment number; Vela's record id is 9077)",
    )
  })

  it.each([
    { name: 'another target', differs: { target: 'staging' } },
    { name: 'another task', differs: { task: 'deploy:rollback' } },
    { name: 'another description', differs: { description: 'Deployed by hand' } },
    { name: 'another ref', differs: { ref: 'refs/heads/release' } },
    { name: 'another user', differs: { created_by: 'hubot' } },
    {
      name: 'another payload (the same request of another run)',
      differs: { payload: { region: 'us-east-1' } },
    },
    { name: 'a payload with an extra key', differs: { payload: { region: 'eu-west-1', canary: 'true' } } },
    { name: 'a payload that is not an object of strings', differs: { payload: ['region=eu-west-1'] } },
    { name: 'a deployment older than 120 s before the start', differs: { created_at: START_S - 121 } },
  ])('does not adopt $name', async ({ differs }) => {
    const create = timedOut()
    const t = await run({ creates: [create], lists: [[listed(differs)]] })

    expect(t.error).toBeInstanceOf(OutcomeUnknownError)
    expect(t.record.deployment).toBeUndefined()
    expect(t.vela.sent).toHaveLength(1)
    expect(t.log.warnings.some((line) => line.includes('answer was lost'))).toBe(false)
  })

  it('adopts a deployment created up to 120 s before the start, as the clocks may disagree', async () => {
    const t = await run({ creates: [timedOut()], lists: [[listed({ created_at: START_S - 120 })]] })
    expect(t.record.deployment?.number).toBe(77)
  })

  it('adopts none of several matches: another run sent the same request, so neither is provably ours', async () => {
    const t = await run({
      creates: [http(502, { bodySummary: 'HTTP 502, text/html, body starts "Bad Gateway"' })],
      lists: [[listed({ number: 75 }), listed({ number: 81, target: 'staging' }), listed({ number: 79 })]],
    })
    expect(t.error).toBeInstanceOf(OutcomeUnknownError)
    expect(t.record.deployment).toBeUndefined()
    expect(t.log.warnings[1]).toBe(
      "Vela holds 2 deployments matching the create request (75, 79); another run sent the same one, so none is taken as this run's",
    )
  })

  it('adopts a deployment whose payload Vela answers as null when none was sent', async () => {
    const t = await run({ creates: [timedOut()], lists: [[listed({ payload: null })]] }, { parameters: {} })
    expect(t.record.deployment?.number).toBe(77)
  })

  it('adopts a deployment that does not say who created it or when', async () => {
    const anonymous = listed()
    delete anonymous.created_by
    delete anonymous.created_at
    const t = await run({ creates: [timedOut()], lists: [[anonymous]] })
    expect(t.record.deployment).toEqual(anonymous)
  })

  it('matches any ref when none was sent (Vela fills in the default branch)', async () => {
    const t = await run(
      { creates: [timedOut()], lists: [[listed({ ref: 'refs/heads/trunk' })]] },
      { ref: undefined },
    )
    expect(t.record.deployment?.number).toBe(77)
  })

  // When GitHub's webhook stores the deployment before the create does, Vela keeps the ref as GitHub sent it
  // (recorded from v0.25.3 and v0.28.8): a ref Vela would give a build of it is another deployment's.
  it.each([
    { sent: 'main', stored: 'refs/heads/main' },
    { sent: 'main', stored: 'refs/heads/release' },
    { sent: 'refs/tags/v1', stored: 'refs/heads/refs/tags/v1' },
    { sent: 'fedcba9876543210fedcba9876543210fedcba98', stored: 'refs/heads/main' },
    { sent: 'fedcba98', stored: 'refs/heads/trunk' },
  ])('does not adopt $sent stored as $stored', async ({ sent, stored }) => {
    const t = await run({ creates: [timedOut()], lists: [[listed({ ref: stored })]] }, { ref: sent })
    expect(t.error).toBeInstanceOf(OutcomeUnknownError)
  })

  // Vela v0.23–v0.25 store no parameters on a deployment the webhook stored first, only on its build.
  const raced = (deployPayload?: Record<string, string>) =>
    listed({ payload: {}, builds: deployPayload ? [{ number: 1, deploy_payload: deployPayload }] : [] })
  const sentWith = { parameters: { region: 'eu-west-1' } }

  it("adopts, from Vela v0.23 to v0.25, the deployment the webhook stored first, by its build's parameters", async () => {
    const t = await run(
      {
        creates: [http(500, { serverMessage: 'duplicate key value' })],
        lists: [[raced({ region: 'eu-west-1' })]],
      },
      sentWith,
    )
    expect(t.record.deployment?.number).toBe(77)
  })

  it.each([
    { name: "another job's parameters on its build", deployment: raced({ region: 'us-east-1' }) },
    { name: 'no build to tell', deployment: raced() },
  ])('does not adopt, from Vela v0.23 to v0.25, one without parameters and $name', async ({ deployment }) => {
    const t = await run(
      { creates: [http(500, { serverMessage: 'duplicate key value' })], lists: [[deployment]] },
      sentWith,
    )
    expect(t.record.deployment).toBeUndefined()
  })

  it('does not adopt, from Vela v0.26 on, a deployment without the parameters sent: v0.26 keeps them', async () => {
    const t = await run(
      {
        creates: [http(500, { serverMessage: 'duplicate key value' })],
        lists: [[listed({ payload: {}, repo: { active: true } })]],
      },
      { parameters: { region: 'eu-west-1' } },
    )
    expect(t.record.deployment).toBeUndefined()
    expect(t.error).toMatchObject({ status: 500 })
  })

  it('matches any creator when the token does not name its user', async () => {
    const t = await run({
      creates: [timedOut()],
      lists: [[listed({ created_by: 'someone' })]],
      user: undefined,
    })
    expect(t.record.deployment?.number).toBe(77)
  })

  it('names the deployments page to check when nothing matches and ui-url is set', async () => {
    const create = timedOut()
    const t = await run({ creates: [create], lists: [[]] }, { uiUrl: 'https://vela-ui.example.com' })

    expect(t.error).toBeInstanceOf(OutcomeUnknownError)
    const error = t.error as OutcomeUnknownError
    expect(error.message).toBe(
      `The create request may or may not have reached Vela (POST ${CREATE_PATH} got no complete answer within 30s), and Vela lists no matching deployment yet. The deployment may or may not exist: check https://vela-ui.example.com/octo-org/app/deployments before running this again`,
    )
    expect(error.code).toBe('OUTCOME_UNKNOWN')
    expect(error.cause).toBe(create)
    expect(t.record.deployment).toBeUndefined()
  })

  it('names Vela and GitHub deployments to check when nothing matches and ui-url is not set', async () => {
    const create = http(502, { bodySummary: 'HTTP 502, text/html, body starts "Bad Gateway"' })
    const t = await run({ creates: [create], lists: [[listed({ target: 'staging' })]] })

    expect(t.error).toBeInstanceOf(OutcomeUnknownError)
    expect((t.error as Error).message).toMatch(
      /reached Vela \(HTTP 502, text\/html, body starts "Bad Gateway"\)/,
    )
    expect((t.error as Error).message).toMatch(
      /check the deployments of octo-org\/app in Vela \(or the repository's GitHub deployments\) before running this again$/,
    )
    expect((t.error as Error).cause).toBe(create)
  })

  it("rethrows Vela's own 5xx error when nothing matches", async () => {
    const create = http(500, {
      serverMessage: 'unable to get deployment config for octo-org/app: unable to get pipeline configuration',
    })
    const t = await run({ creates: [create], lists: [[]] })

    expect(t.error).toBe(create)
    expect(t.vela.listings).toHaveLength(1)
  })

  it('says Vela most likely created it when a 201 came with a broken body and nothing matches', async () => {
    const create = brokenBody()
    const t = await run({ creates: [create], lists: [[]] }, { uiUrl: 'https://vela-ui.example.com' })

    expect(t.error).toBeInstanceOf(OutcomeUnknownError)
    expect((t.error as Error).message).toBe(
      `${create.message}. Vela most likely created the deployment but it could not be found: check https://vela-ui.example.com/octo-org/app/deployments before running this again`,
    )
    expect((t.error as Error).cause).toBe(create)
  })

  it('names both failures when listing the deployments fails too, after trying it 3 times', async () => {
    const create = timedOut()
    const t = await run({ creates: [create], lists: [connectionRefused()] })

    expect(t.error).toBeInstanceOf(OutcomeUnknownError)
    const message = (t.error as Error).message
    expect(message).toContain(
      `may or may not have reached Vela (POST ${CREATE_PATH} got no complete answer within 30s)`,
    )
    expect(message).toContain(
      'listing deployments failed too (cannot reach vela.example.com: connection refused (ECONNREFUSED))',
    )
    expect(message).toMatch(/check the deployments of octo-org\/app in Vela/)
    expect((t.error as Error).cause).toBe(create)
    expect(t.vela.listings).toHaveLength(3)
    expect(t.vela.sent).toHaveLength(1)
  })

  it('finds the deployment when listing succeeds on a second try', async () => {
    const t = await run({ creates: [timedOut()], lists: [http(503, {}), [listed()]] })
    expect(t.record.deployment?.number).toBe(77)
    expect(t.vela.listings).toHaveLength(2)
    expect(t.vela.sent).toHaveLength(1)
  })

  it('does not list again after a listing error that will not go away', async () => {
    const t = await run({
      creates: [timedOut()],
      lists: [
        new VelaHttpError({ method: 'GET', path: CREATE_PATH, status: 403, serverMessage: 'forbidden' }),
      ],
    })
    expect((t.error as Error).message).toContain('listing deployments failed too (HTTP 403: forbidden)')
    expect(t.vela.listings).toHaveLength(1)
  })
})

describe('createDeploymentOnce: refused or failed without doubt', () => {
  const configRefusal =
    'unable to validate deployment config for octo-org/app: deployment parameter region is required'

  it("reports Vela's reason for a 400 that is not about the deployment config, without reading the config", async () => {
    const refused = http(400, {
      serverMessage: 'unable to decode JSON for new deployment for octo-org/app: EOF',
    })
    const t = await run({ creates: [refused] })

    expect(t.error).toBeInstanceOf(DeploymentRefusedError)
    expect((t.error as Error).message).toBe(
      'Vela refused the deployment (400: unable to decode JSON for new deployment for octo-org/app: EOF).',
    )
    expect((t.error as DeploymentRefusedError).code).toBe('DEPLOYMENT_REFUSED')
    expect((t.error as Error).cause).toBe(refused)
    expect(t.vela.configReads).toEqual([])
    expect(t.vela.listings).toEqual([])
    expect(t.vela.sent).toHaveLength(1)
  })

  it("names the body's summary when a 400 is not Vela's JSON", async () => {
    const t = await run({
      creates: [http(400, { bodySummary: 'HTTP 400, text/html, body starts "Bad Request"' })],
    })
    expect((t.error as Error).message).toBe(
      'Vela refused the deployment (400: HTTP 400, text/html, body starts "Bad Request").',
    )
  })

  it.each<{ name: string; config: DeploymentConfig; allows: string }>([
    {
      name: 'targets and every kind of parameter fact',
      config: {
        targets: ['production', 'staging'],
        parameters: {
          region: { required: true, type: 'string', options: ['eu-west-1', 'us-east-1'] },
          replicas: { type: 'integer', min: 2, max: 5 },
          shards: { type: 'int', max: 3 },
          floor: { type: 'int', min: 4 },
          note: { description: 'free text' },
        },
      },
      allows:
        'The pipeline allows targets: production, staging; parameters: region (required, string, one of eu-west-1|us-east-1), replicas (integer, 2..5), shards (int, 0..3), floor (int), note',
    },
    {
      name: 'an empty config',
      config: { targets: [], parameters: {} },
      allows: 'The pipeline allows targets: any; parameters: any',
    },
    {
      name: 'a config without either list',
      config: { targets: null, parameters: null },
      allows: 'The pipeline allows targets: any; parameters: any',
    },
  ])('appends what the deployment config allows: $name', async ({ config, allows }) => {
    const t = await run({ creates: [http(400, { serverMessage: configRefusal })], config })

    expect(t.error).toBeInstanceOf(DeploymentRefusedError)
    expect((t.error as Error).message).toBe(`Vela refused the deployment (400: ${configRefusal}). ${allows}`)
    expect(t.vela.configReads).toEqual([{ where: 'octo-org/app', ref: 'refs/heads/main' }])
    expect(t.vela.sent).toHaveLength(1)
    expect(t.vela.listings).toEqual([])
  })

  it('defuses what the config says before putting it in the message', async () => {
    const t = await run({
      creates: [http(400, { serverMessage: configRefusal })],
      config: { targets: ['prod\n::error::injected', '##[warning]x'] },
    })
    const message = (t.error as Error).message
    expect(message).not.toContain('\n')
    expect(message).not.toContain('##[')
  })

  it('gives the refusal alone when the deployment config cannot be read', async () => {
    const t = await run({
      creates: [http(400, { serverMessage: configRefusal })],
      config: new VelaHttpError({
        method: 'GET',
        path: `${CREATE_PATH}/config`,
        status: 500,
        serverMessage: 'x',
      }),
    })

    expect(t.error).toBeInstanceOf(DeploymentRefusedError)
    expect((t.error as Error).message).toBe(`Vela refused the deployment (400: ${configRefusal}).`)
    expect(t.vela.configReads).toHaveLength(1)
  })

  it.each([
    { name: '401', error: http(401, { serverMessage: 'unable to parse token' }) },
    {
      name: '404',
      error: http(404, { serverMessage: 'unable to read repo octo-org/app: record not found' }),
    },
    { name: 'a redirect', error: new BadResponseError('redirect', 'POST answered 302 redirecting', 302) },
  ])('passes $name through unchanged, sent once and not looked for', async ({ error }) => {
    const t = await run({ creates: [error, CREATED] })

    expect(t.error).toBe(error)
    expect(t.vela.sent).toHaveLength(1)
    expect(t.vela.listings).toEqual([])
    expect(t.vela.configReads).toEqual([])
    expect(t.log.warnings).toEqual([])
  })

  const badCertificate = () =>
    new NetworkError(
      'tls',
      'TLS connection to vela.example.com failed: its certificate has expired (CERT_HAS_EXPIRED)',
      { tlsCode: 'CERT_HAS_EXPIRED' },
    )

  it('never sends it again after a TLS failure, which a retry cannot fix', async () => {
    const t = await run({ creates: [badCertificate(), CREATED] })
    expect(t.vela.sent).toHaveLength(1)
    expect(t.error).toMatchObject({ failure: 'tls' })
  })

  // A certificate that fails verification stops the TLS handshake before any HTTP is sent.
  it('passes a TLS failure through unchanged, as the request never left', async () => {
    const error = badCertificate()
    const t = await run({ creates: [error] })
    expect(t.error).toBe(error)
  })
})

describe('createDeploymentOnce: the token exchange fails', () => {
  it('passes the failure through without a lookup: the create was never sent', async () => {
    const error = new TokenExchangeError(http(500, { serverMessage: 'unable to get user' }))
    const t = await run({ creates: [error] })
    expect(t.error).toBe(error)
    expect(t.vela.listings).toEqual([])
    expect(t.log.warnings).toEqual([])
  })
})

describe('createDeploymentOnce: cancelled', () => {
  it('leaves the outcome unknown when cancelled while the create is in flight', async () => {
    const t = start({ creates: [NO_ANSWER] })
    await t.vela.firstSend
    t.cancel.abort()
    const { error } = await t.done

    expect(error).toBeInstanceOf(OutcomeUnknownError)
    expect((error as Error).message).toBe(
      "Cancelled while the create request was in flight: the deployment of octo-org/app may or may not exist; check the deployments of octo-org/app in Vela (or the repository's GitHub deployments) before running this again",
    )
    expect((error as Error).cause).toBeInstanceOf(CancelledError)
    expect(t.vela.sent).toHaveLength(1)
    expect(t.vela.listings).toEqual([])
    expect(t.record.deployment).toBeUndefined()
  })

  // When the cancel comes during the wait before sending again, every attempt so far provably never reached Vela.
  it('neither sends it again nor calls the outcome unknown when cancelled while waiting to send it again', async () => {
    const cancel = new AbortController()
    const t = start(
      {
        creates: [connectionRefused(), CREATED],
        onSend: () => {
          cancel.abort()
        },
      },
      {},
      cancel,
    )
    const { error } = await t.done

    expect(t.vela.sent).toHaveLength(1)
    expect(t.record.deployment).toBeUndefined()
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as Error).message).toBe(
      'Cancelled before Vela took the create request: no deployment of octo-org/app was created',
    )
  })
})

describe('previewDeployment', () => {
  const refusingAuth = (kind: Authenticator['kind']): Authenticator => ({
    kind,
    authorization: () => {
      throw new Error('the preview asked for a token')
    },
    renew: () => {
      throw new Error('the preview asked for a new token')
    },
    user: () => undefined,
    expiresAt: () => undefined,
  })

  function preview(overrides: Partial<Settings> = {}) {
    const settings = exampleSettings(overrides)
    const api = new VelaApi(
      new VelaHttp(settings.server, Connections.fromEnv({})),
      refusingAuth(settings.credential.kind),
      settings.requestTimeoutMs,
    )
    const log = new RecordingLog()
    const text = previewDeployment(api, settings, log)
    return { settings, log, text, lines: text.split('\n') }
  }

  const PAT = 'ghp_previewPersonalAccessToken0000000000000'

  it.each([
    {
      kind: 'a Vela access token',
      overrides: {},
      token: EXAMPLE_VELA_TOKEN,
      authorization: 'authorization: Bearer *** (the Vela access token)',
    },
    {
      kind: 'a personal access token',
      overrides: { credential: { kind: 'personal-access-token' as const, token: PAT } },
      token: PAT,
      authorization:
        'authorization: Bearer *** (a Vela access token, which POST /authenticate/token gives for the personal access token)',
    },
  ])('shows the create request for $kind without the token', ({ overrides, token, authorization }) => {
    const { text, lines, settings } = preview(overrides)

    expect(lines[0]).toBe('POST https://vela.example.com/api/v1/deployments/octo-org/app')
    expect(lines).toContain(authorization)
    expect(lines).toContain('content-type: application/json')
    expect(text).not.toContain(token)
    const body = text.slice(text.indexOf('\n\n') + 2)
    expect(JSON.parse(body)).toEqual({
      ref: 'refs/heads/main',
      target: 'production',
      task: 'deploy:vela',
      description: settings.description,
      payload: { region: 'eu-west-1' },
    })
  })

  it('prints the request between stop-commands markers and returns what it printed', () => {
    const { log, lines } = preview()

    expect(log.infos[0]).toBe(
      'Dry run: everything is valid. Nothing is sent; this is the request that would create the deployment:',
    )
    const token = /^::stop-commands::(.+)$/.exec(log.infos[1] ?? '')?.[1]
    expect(token).toMatch(/^[0-9a-f-]{36}$/)
    expect(log.infos.at(-1)).toBe(`::${token}::`)
    expect(log.infos.slice(2, -1)).toEqual(lines)
    expect(log.warnings).toEqual([])
  })

  it('leaves out ref when none is set, and keeps a path prefix of the server', () => {
    const { text, lines } = preview({ ref: undefined, server: 'https://ci.example.com/vela' })

    expect(lines[0]).toBe('POST https://ci.example.com/vela/api/v1/deployments/octo-org/app')
    expect(JSON.parse(text.slice(text.indexOf('\n\n') + 2))).not.toHaveProperty('ref')
  })

  it('defuses workflow commands in the printed request but returns it unchanged', () => {
    const { text, log } = preview({ description: '##[error]not a real error', target: 'prod::x' })

    expect(text).toContain('##[error]not a real error')
    expect(log.infos.some((line) => line.includes('##['))).toBe(false)
  })
})
