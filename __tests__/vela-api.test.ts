import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEFAULT_COMMIT, startFakeVela, type FakeVela } from '../fake-vela/index.js'
import { VelaApi, type DeploymentRequest } from '../src/vela/api.js'
import { createAuthenticator, type Authenticator } from '../src/vela/auth.js'
import { BadResponseError, CancelledError, VelaHttpError } from '../src/vela/errors.js'
import { VelaHttp } from '../src/vela/http.js'
import { Connections } from '../src/vela/proxy.js'
import { realClock } from '../src/vela/retry.js'
import type { Deployment } from '../src/vela/schemas.js'

// The Vela endpoints the action uses, against the fake Vela server over real HTTP. The server lives under a
// path prefix, as Vela behind a reverse proxy does.

const TIMEOUT_MS = 5_000
const ORG = 'octo'
const connections = Connections.fromEnv()
const http = (server: string) => new VelaHttp(server, connections)

let vela: FakeVela
let token: string
let repoCount = 0

beforeAll(async () => {
  vela = await startFakeVela({ basePath: '/vela', webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
  vela.addPat('ghp_octocat', 'octocat')
  token = vela.mintToken('octocat')
})

afterAll(async () => {
  await connections.close()
  await vela.close()
})

/** A fresh repository per use, so deployments and builds never mix; the webhook runs on the next request. */
function newRepo(options: Parameters<FakeVela['addRepo']>[2] = {}): string {
  const name = `app-${++repoCount}`
  vela.addRepo(ORG, name, options)
  vela.setBuildPlan(ORG, name, {
    webhookDelayMs: 0,
    timeline: [{ status: 'failure', afterMs: 0 }],
    steps: [
      { name: 'init', status: 'success', log: '$ vela init\n' },
      { name: 'deploy', status: 'failure', log: 'Déploiement vers production ✗\nError: deploy failed\n' },
    ],
  })
  return name
}

function velaTokenApi(server = vela.url): VelaApi {
  const credential = { kind: 'vela-token', token, user: 'octocat', expiresAt: undefined } as const
  return new VelaApi(
    http(server),
    createAuthenticator(http(server), credential, TIMEOUT_MS, () => undefined),
    TIMEOUT_MS,
  )
}

/** The requests the fake received while `run` ran. */
async function requestsDuring(run: () => Promise<unknown>) {
  const before = vela.requests.length
  await run()
  return vela.requests.slice(before)
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error,
  )

const body: DeploymentRequest = {
  target: 'production',
  task: 'deploy:vela',
  description: 'Release 1.2.3',
  payload: { version: '1.2.3' },
}

describe('VelaApi against the fake Vela server', () => {
  const api = () => velaTokenApi()
  let repo: string
  let deployment: Deployment

  beforeAll(async () => {
    repo = newRepo()
    ;({ deployment } = await api().createDeployment(ORG, repo, body))
  })

  it('creates a deployment with one POST of the JSON body, and hands back the answer as received', async () => {
    const name = newRepo()
    let result: Awaited<ReturnType<VelaApi['createDeployment']>> | undefined
    const sent = await requestsDuring(async () => {
      result = await api().createDeployment(ORG, name, { ...body, ref: 'refs/heads/main' })
    })
    expect(sent).toHaveLength(1)
    const [request] = sent
    expect(request).toMatchObject({ method: 'POST', path: `/vela/api/v1/deployments/${ORG}/${name}` })
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    })
    expect(JSON.parse(request?.body ?? '')).toEqual({ ...body, ref: 'refs/heads/main' })
    expect(request?.status).toBe(201)
    expect(result?.deployment).toMatchObject({
      target: 'production',
      ref: 'refs/heads/main',
      commit: DEFAULT_COMMIT,
      payload: { version: '1.2.3' },
      created_by: 'octocat',
    })
    expect(typeof result?.deployment.number).toBe('number')
    // `text` is the body exactly as Vela sent it, for the `deployment` output.
    expect(JSON.parse(result?.text ?? '')).toEqual(result?.deployment)
    expect(vela.deploymentsOf(ORG, name)).toHaveLength(1)
  })

  it('never sends a create twice, even when the server answers 502', async () => {
    const name = newRepo()
    vela.injectFault(
      { method: 'POST', path: new RegExp(`/deployments/${ORG}/${name}$`) },
      { kind: 'status', status: 502, body: '<h1>Bad Gateway</h1>', contentType: 'text/html' },
    )
    let error: unknown
    const sent = await requestsDuring(async () => {
      error = await failure(api().createDeployment(ORG, name, body))
    })
    expect(error).toMatchObject({ status: 502 })
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('lists deployments, newest first, asking for the given page size', async () => {
    const second = (await api().createDeployment(ORG, repo, { ...body, description: 'second' })).deployment
    let list: Deployment[] = []
    const sent = await requestsDuring(async () => {
      list = await api().listDeployments(ORG, repo, 25)
    })
    expect(sent.map((r) => r.path)).toEqual([`/vela/api/v1/deployments/${ORG}/${repo}?per_page=25`])
    expect(list.map((d) => d.number)).toEqual([second.number, deployment.number])
    expect(list[1]).toMatchObject({ description: 'Release 1.2.3', target: 'production' })
  })

  it('reads one deployment by its number, with the build Vela linked to it', async () => {
    const read = await api().getDeployment(ORG, repo, deployment.number as number)
    expect(read).toMatchObject({ number: deployment.number, commit: DEFAULT_COMMIT })
    expect(read.builds).toEqual([
      expect.objectContaining({ deploy_number: deployment.number, event: 'deployment' }),
    ])
    expect(vela.requests.at(-1)?.path).toBe(`/vela/api/v1/deployments/${ORG}/${repo}/${deployment.number}`)
  })

  it("reads the pipeline's deployment config, for a ref or the default branch", async () => {
    const name = newRepo({
      refs: { main: DEFAULT_COMMIT, 'refs/tags/v1': 'a'.repeat(40) },
      deploymentConfig: {
        targets: ['production', 'staging'],
        parameters: { region: { required: true, options: ['eu', 'us'] } },
      },
    })
    const config = await api().getDeploymentConfig(ORG, name, 'refs/tags/v1')
    expect(config).toMatchObject({
      targets: ['production', 'staging'],
      parameters: { region: { required: true, options: ['eu', 'us'] } },
    })
    expect(vela.requests.at(-1)?.path).toBe(
      `/vela/api/v1/deployments/${ORG}/${name}/config?ref=refs%2Ftags%2Fv1`,
    )
    await api().getDeploymentConfig(ORG, name, undefined)
    expect(vela.requests.at(-1)?.path).toBe(`/vela/api/v1/deployments/${ORG}/${name}/config`)
  })

  it('lists builds with the query given, and reads one build', async () => {
    const builds = await api().listBuilds(ORG, repo, {
      event: 'deployment',
      commit: DEFAULT_COMMIT,
      after: 0,
      // Vela lists only builds created before this second unless told otherwise.
      before: Math.floor(Date.now() / 1000) + 60,
      per_page: 100,
      branch: undefined,
    })
    const listed = new URL(vela.requests.at(-1)?.path ?? '', 'http://x')
    expect(listed.pathname).toBe(`/vela/api/v1/repos/${ORG}/${repo}/builds`)
    expect(Object.fromEntries(listed.searchParams)).toEqual({
      event: 'deployment',
      commit: DEFAULT_COMMIT,
      after: '0',
      before: expect.stringMatching(/^\d+$/),
      per_page: '100',
    })
    const ours = builds.find((b) => b.deploy_number === deployment.number)
    expect(ours).toMatchObject({ event: 'deployment', status: 'failure', commit: DEFAULT_COMMIT })

    const build = await api().getBuild(ORG, repo, ours?.number as number)
    expect(vela.requests.at(-1)?.path).toBe(`/vela/api/v1/repos/${ORG}/${repo}/builds/${ours?.number}`)
    expect(build).toMatchObject({
      number: ours?.number,
      status: 'failure',
      deploy_number: deployment.number,
      link: `https://vela-ui.test/${ORG}/${repo}/${ours?.number}`,
    })
  })

  it("lists a build's steps and decodes a step's base64 log to text", async () => {
    const [build] = await api().listBuilds(ORG, repo, { before: Math.floor(Date.now() / 1000) + 60 })
    const number = build?.number as number
    const steps = await api().listSteps(ORG, repo, number, 1)
    expect(vela.requests.at(-1)?.path).toBe(
      `/vela/api/v1/repos/${ORG}/${repo}/builds/${number}/steps?per_page=100`,
    )
    expect(await api().listSteps(ORG, repo, number, 2)).toEqual([])
    expect(vela.requests.at(-1)?.path).toBe(
      `/vela/api/v1/repos/${ORG}/${repo}/builds/${number}/steps?page=2&per_page=100`,
    )
    expect(steps.map((s) => [s.name, s.status])).toEqual(
      expect.arrayContaining([
        ['init', 'success'],
        ['deploy', 'failure'],
      ]),
    )
    const deploy = steps.find((s) => s.name === 'deploy')
    const log = await api().getStepLog(ORG, repo, number, deploy?.number as number)
    expect(vela.requests.at(-1)?.path).toBe(
      `/vela/api/v1/repos/${ORG}/${repo}/builds/${number}/steps/${deploy?.number}/logs`,
    )
    expect(log).toEqual({ text: 'Déploiement vers production ✗\nError: deploy failed\n', cutAtStart: false })
  })

  describe('a log over the 4 MiB a response may hold', () => {
    // 6 MiB of log: 8 MiB of base64 in Vela's JSON.
    const text = `${Array.from({ length: 100_000 }, (_, i) => `line ${i + 1} ✓`.padEnd(60, '.')).join('\n')}\nError: out of quota\n`
    const body = (data: string) => `{"id":1,"step_id":2,"data":"${data}","created_at":1767000000}`
    const serve = (answer: string) => {
      vela.injectFault(
        { path: /\/steps\/\d+\/logs$/ },
        { kind: 'status', status: 200, body: answer, contentType: 'application/json' },
      )
    }

    it('is read to its end, from its first whole line, when its end is asked for', async () => {
      serve(body(Buffer.from(text).toString('base64')))
      const log = await api().getStepLog(ORG, repo, 1, 2, { keepTail: true })
      expect(log.cutAtStart).toBe(true)
      expect(log.text.endsWith('\nError: out of quota\n')).toBe(true)
      expect(log.text).toMatch(/^line \d+ ✓\.+\n/)
      expect(text.endsWith(log.text)).toBe(true)
      expect(Buffer.byteLength(log.text)).toBeGreaterThan(2.9 * 1024 * 1024)
    })

    it('is refused otherwise', async () => {
      serve(body(Buffer.from(text).toString('base64')))
      expect(await failure(api().getStepLog(ORG, repo, 1, 2))).toMatchObject({ reason: 'too-large' })
    })

    it('is a clear error when what ends the answer is no log', async () => {
      serve(`{"id":1,"data":"${' '.repeat(5 * 1024 * 1024)}"}`)
      const error = await failure(api().getStepLog(ORG, repo, 1, 2, { keepTail: true }))
      expect(error).toMatchObject({ reason: 'malformed', status: 200 })
      expect((error as Error).message).toMatch(/with more than 4 MiB that does not end as a log$/)
    })
  })

  it('reads a log without data as empty text', async () => {
    vela.injectFault(
      { path: /\/steps\/\d+\/logs$/ },
      { kind: 'status', status: 200, body: '{"id":1,"data":null}', contentType: 'application/json' },
    )
    expect(await api().getStepLog(ORG, repo, 1, 1)).toEqual({ text: '', cutAtStart: false })
  })

  it("lists a page of the repository's webhook deliveries, 100 at a time", async () => {
    const hooks = await api().listHooks(ORG, repo, 2)
    expect(vela.requests.at(-1)?.path).toBe(`/vela/api/v1/hooks/${ORG}/${repo}?page=2&per_page=100`)
    expect(hooks).toEqual([])
    const first = await api().listHooks(ORG, repo, 1)
    expect(first[0]).toMatchObject({ event: 'deployment', status: 'success', error: '' })
  })

  it("reads the server's release at GET /version, without a token", async () => {
    expect(await api().getVersion()).toBe('v0.28.8')
    expect(vela.requests.at(-1)?.path).toBe('/vela/version')
    expect(vela.requests.at(-1)?.headers).not.toHaveProperty('authorization')
  })

  it('says where a body of the wrong shape goes wrong', async () => {
    vela.injectFault(
      { method: 'GET', path: /\/builds\/1$/ },
      { kind: 'status', status: 200, body: '{"number":"seven"}', contentType: 'application/json' },
    )
    const error = await failure(api().getBuild(ORG, repo, 1))
    expect(error).toBeInstanceOf(BadResponseError)
    expect(error).toMatchObject({ reason: 'unexpected-shape', status: 200 })
    expect((error as Error).message).toMatch(
      /^Vela answered 200 but the body is not a build \(at number: [^)]+\)$/,
    )
  })

  it('names the kind of answer expected when the whole body is wrong', async () => {
    vela.injectFault(
      { method: 'GET', path: /\/hooks\// },
      { kind: 'status', status: 200, body: '{"hooks":[]}', contentType: 'application/json' },
    )
    const error = await failure(api().listHooks(ORG, repo, 1))
    expect(error).toMatchObject({
      reason: 'unexpected-shape',
      message: 'Vela answered 200 but the body is not a list of hooks',
    })
  })

  it('refuses a deployment with neither id nor number', async () => {
    vela.injectFault(
      { method: 'GET', path: /\/deployments\/[^/]+\/[^/]+\/\d+$/ },
      { kind: 'status', status: 200, body: '{"target":"production"}', contentType: 'application/json' },
    )
    const error = await failure(api().getDeployment(ORG, repo, 1))
    expect(error).toMatchObject({ reason: 'unexpected-shape' })
    expect((error as Error).message).toContain('is not a deployment')
  })
})

describe('VelaApi after a 401', () => {
  it('exchanges a personal access token again once and sends the request again', async () => {
    const name = newRepo()
    const secrets: string[] = []
    const credential = { kind: 'personal-access-token', token: 'ghp_octocat' } as const
    const auth = createAuthenticator(http(vela.url), credential, TIMEOUT_MS, (s) => secrets.push(s))
    const api = new VelaApi(http(vela.url), auth, TIMEOUT_MS)
    vela.injectFault(
      { method: 'GET', path: new RegExp(`/deployments/${ORG}/${name}\\?`) },
      {
        kind: 'status',
        status: 401,
        body: '{"error":"failed parsing: token has invalid claims: token is expired"}',
        contentType: 'application/json',
      },
    )
    let list: Deployment[] | undefined
    const sent = await requestsDuring(async () => {
      list = await api.listDeployments(ORG, name, 10)
    })
    expect(list).toEqual([])
    expect(sent.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`)).toEqual([
      'POST /vela/authenticate/token 200',
      `GET /vela/api/v1/deployments/${ORG}/${name} 401`,
      'POST /vela/authenticate/token 200',
      `GET /vela/api/v1/deployments/${ORG}/${name} 200`,
    ])
    expect(secrets).toHaveLength(2)
    expect(sent[3]?.headers.authorization).toBe(`Bearer ${secrets[1]}`)
  })

  it('gives up when the new token is refused too, without a loop', async () => {
    const name = newRepo()
    const credential = { kind: 'personal-access-token', token: 'ghp_octocat' } as const
    const api = new VelaApi(
      http(vela.url),
      createAuthenticator(http(vela.url), credential, TIMEOUT_MS, () => undefined),
      TIMEOUT_MS,
    )
    vela.injectFault(
      { method: 'GET', path: new RegExp(`/repos/${ORG}/${name}/builds`) },
      { kind: 'status', status: 401, body: '{"error":"record not found"}', contentType: 'application/json' },
      2,
    )
    let error: unknown
    const sent = await requestsDuring(async () => {
      error = await failure(api.listBuilds(ORG, name, {}))
    })
    expect(error).toBeInstanceOf(VelaHttpError)
    expect(error).toMatchObject({ status: 401, serverMessage: 'record not found' })
    expect(sent.map((r) => r.method)).toEqual(['POST', 'GET', 'POST', 'GET'])
  })

  it('throws the 401 at once with a Vela token, which cannot be renewed', async () => {
    const name = newRepo()
    vela.injectFault(
      { method: 'GET', path: new RegExp(`/repos/${ORG}/${name}/builds/3$`) },
      { kind: 'status', status: 401, body: '{"error":"token is expired"}', contentType: 'application/json' },
    )
    let error: unknown
    const sent = await requestsDuring(async () => {
      error = await failure(velaTokenApi().getBuild(ORG, name, 3))
    })
    expect(error).toMatchObject({ status: 401, serverMessage: 'token is expired' })
    expect(sent).toHaveLength(1)
  })

  it('does not renew after another error status', async () => {
    const name = newRepo()
    let renewals = 0
    const auth: Authenticator = {
      kind: 'personal-access-token',
      authorization: () => Promise.resolve(`Bearer ${token}`),
      renew: () => Promise.resolve(++renewals > 0),
      user: () => undefined,
      expiresAt: () => undefined,
    }
    const error = await failure(new VelaApi(http(vela.url), auth, TIMEOUT_MS).getBuild(ORG, name, 99))
    expect(error).toMatchObject({ status: 404 })
    expect(renewals).toBe(0)
  })
})

describe('VelaApi.previewCreate', () => {
  it('prepares the create as it would be sent, with the authorization given, and sends nothing', () => {
    let touched = 0
    const auth: Authenticator = {
      kind: 'personal-access-token',
      authorization: () => Promise.resolve(String(++touched)),
      renew: () => Promise.resolve(++touched > 0),
      user: () => String(++touched),
      expiresAt: () => new Date(++touched),
    }
    const before = vela.requests.length
    const api = new VelaApi(http(vela.url), auth, TIMEOUT_MS)
    const prepared = api.previewCreate('my org', 'app', body, 'Bearer ***')
    expect(prepared.method).toBe('POST')
    expect(prepared.url.href).toBe(`${vela.url}/api/v1/deployments/my%20org/app`)
    expect(prepared.url.href.startsWith(`${vela.url}/`)).toBe(true)
    expect(prepared.headers).toMatchObject({
      authorization: 'Bearer ***',
      'content-type': 'application/json',
      accept: 'application/json',
    })
    expect(JSON.parse(prepared.body ?? '')).toEqual(body)
    expect(touched).toBe(0)
    expect(vela.requests.length).toBe(before)
  })
})

describe('realClock', () => {
  it('tells the time of the wall clock', () => {
    const before = Date.now()
    const now = realClock.now()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })

  it('sleeps and wakes, with or without a signal that stays quiet', async () => {
    await expect(realClock.sleep(2)).resolves.toBeUndefined()
    await expect(realClock.sleep(2, new AbortController().signal)).resolves.toBeUndefined()
  })

  it('ends a sleep early with CancelledError when the signal fires', async () => {
    const controller = new AbortController()
    const sleeping = realClock.sleep(60_000, controller.signal)
    controller.abort()
    const error = await failure(sleeping)
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as Error).cause).toMatchObject({ name: 'AbortError' })
  })

  it('does not start a sleep when the signal already fired', async () => {
    await expect(realClock.sleep(60_000, AbortSignal.abort())).rejects.toBeInstanceOf(CancelledError)
  })

  it('passes on an error that is not a cancel', async () => {
    const notASignal = { aborted: false } as AbortSignal
    const error = await failure(realClock.sleep(5, notASignal))
    expect(error).not.toBeInstanceOf(CancelledError)
    expect((error as Error).name).toBe('TypeError')
  })
})

describe('VelaHttpError.said', () => {
  const http = (details: { serverMessage?: string; bodySummary?: string }) =>
    new VelaHttpError({ method: 'GET', path: '/api/v1/repos/o/r/builds/1', status: 502, ...details })

  it("is the server's own message first, then a description of the body, then that there was none", () => {
    expect(http({ serverMessage: 'unable to read build', bodySummary: 'HTTP 502' }).said).toBe(
      'unable to read build',
    )
    expect(http({ bodySummary: 'HTTP 502, text/html, body starts "Bad Gateway"' }).said).toBe(
      'HTTP 502, text/html, body starts "Bad Gateway"',
    )
    expect(http({}).said).toBe('no message')
    expect(http({}).message).toBe('GET /api/v1/repos/o/r/builds/1 answered 502: no error message')
  })
})
