import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DEFAULT_COMMIT,
  FIRST_GITHUB_DEPLOYMENT_ID,
  startFakeVela,
  type ApiBuild,
  type ApiDeployment,
  type ApiHook,
  type FakeVela,
  type FakeVelaOptions,
} from './index.js'

// The fake Vela server itself, checked against docs/vela-api.md (§ = section there).

const TAG_SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'
const BRANCH_SHA = '2222222222222222222222222222222222222222'

interface Answer {
  status: number
  headers: Headers
  text: string
  json: unknown
}

/** Sends one request; `token` becomes `Authorization: Bearer <token>`, `json` a JSON body. */
async function send(
  url: string,
  init: {
    method?: string
    token?: string
    json?: unknown
    body?: string
    headers?: Record<string, string>
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
  let body = init.body
  if (init.json !== undefined) {
    body = JSON.stringify(init.json)
    headers['content-type'] ??= 'application/json'
  }
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  })
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

const errorOf = (answer: Answer) => (answer.json as { error?: string } | undefined)?.error
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The clock of the fake most tests share: it moves only by `later` (and by `until`'s polls), so webhooks and
 * build timelines reach each state when the test says, however slow the machine.
 */
let fakeTime = Date.now()
const fakeNow = () => fakeTime
const later = (ms: number) => {
  fakeTime += ms
}

/**
 * Polls `read` every 10 ms until `done` holds (at most `ms`), for what arrives over the network. Each poll
 * also moves the shared fake's clock by 10 ms, as real time would.
 */
async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await sleep(10)
    later(10)
  }
}

function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

describe('fake Vela (current server)', () => {
  let vela: FakeVela
  let token: string
  let repoCount = 0
  const api = (path: string) => `${vela.url}/api/v1${path}`

  beforeAll(async () => {
    vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test', now: fakeNow })
    vela.addUser('octocat')
    vela.addUser('reader')
    vela.addUser('outsider')
    vela.addPat('ghp_octocat', 'octocat')
    vela.addPat('ghp_stranger', 'stranger')
    token = vela.mintToken('octocat')
  })

  afterAll(async () => {
    await vela.close()
  })

  /** A fresh repo per test so builds and deployments never mix. */
  function newRepo(options: Parameters<FakeVela['addRepo']>[2] = {}): { name: string; path: string } {
    const name = `repo-${++repoCount}`
    vela.addRepo('octo', name, { refs: { main: BRANCH_SHA, 'refs/tags/v1.2.3': TAG_SHA }, ...options })
    return { name, path: `octo/${name}` }
  }

  const create = (repoPath: string, json: unknown = { target: 'production' }, as = token) =>
    send(api(`/deployments/${repoPath}`), { token: as, json })

  describe('authentication on /api/v1 (§2.1, §2.4)', () => {
    it('needs a token, and checks it before the repo exists', async () => {
      const answer = await send(api('/deployments/octo/does-not-exist'), { json: {} })
      expect(answer.status).toBe(401)
      expect(answer.json).toEqual({ error: 'no token present in request' })
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8')
    })

    it.each([
      [
        'a raw GitHub PAT',
        () => 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
        'failed parsing: token is malformed: token contains an invalid number of segments',
      ],
      [
        'a bad signature',
        () => vela.mintToken('octocat', { badSignature: true }),
        'failed parsing: token signature is invalid: signature is invalid',
      ],
      [
        'an expired token',
        () => vela.mintToken('octocat', { ttlSeconds: -5 }),
        'failed parsing: token has invalid claims: token is expired',
      ],
      ['an unknown user', () => vela.mintToken('ghost'), 'record not found'],
    ])('401 for %s', async (_, makeToken, message) => {
      const { path } = newRepo()
      const answer = await create(path, { target: 'production' }, makeToken())
      expect(answer.status).toBe(401)
      expect(errorOf(answer)).toBe(message)
    })

    it('takes "Bearer" in any case, or no prefix at all', async () => {
      const { path } = newRepo()
      for (const authorization of [`bearer ${token}`, `BEARER ${token}`, token]) {
        const answer = await send(api(`/deployments/${path}`), { headers: { authorization } })
        expect(answer.status).toBe(200)
      }
    })
  })

  describe('POST /authenticate/token (§2.2)', () => {
    const exchange = (headers: Record<string, string>) =>
      send(`${vela.url}/authenticate/token`, { method: 'POST', headers })

    it('trades a PAT for an access token that works on the API', async () => {
      const before = Math.floor(fakeNow() / 1000)
      const answer = await exchange({ Token: 'ghp_octocat' })
      expect(answer.status).toBe(200)
      const jwt = (answer.json as { token: string }).token
      expect(Object.keys(answer.json as object)).toEqual(['token'])
      const claims = decodeJwtPayload(jwt)
      expect(claims).toMatchObject({ sub: 'octocat', token_type: 'UserAccess' })
      expect(claims.exp as number).toBeGreaterThanOrEqual(before + 900)
      const { path } = newRepo()
      expect((await send(api(`/deployments/${path}`), { token: jwt })).status).toBe(200)
    })

    it.each([
      ['no Token header', {}, 'unable to authenticate user: no token provided'],
      [
        'an unknown PAT',
        { Token: 'ghp_unknown' },
        'unable to authenticate user: GET https://api.github.com/user: 401 Bad credentials []',
      ],
      [
        'the PAT of a GitHub user who never logged in to Vela',
        { Token: 'ghp_stranger' },
        'unable to authenticate: user  not found',
      ],
    ])('401 for %s', async (_, headers: Record<string, string>, message) => {
      const answer = await exchange(headers)
      expect(answer.status).toBe(401)
      expect(answer.json).toEqual({ error: message })
    })
  })

  it('DELETE …/builds/:n/cancel: running and pending become canceled; others 400; writers only', async () => {
    const { name, path } = newRepo({ writers: ['octocat'], readers: ['reader'] })
    vela.setBuildPlan('octo', name, {
      webhookDelayMs: 0,
      timeline: [
        { status: 'pending', afterMs: 0 },
        { status: 'running', afterMs: 50 },
        { status: 'success', afterMs: 60_000 },
      ],
    })
    const buildStatus = async (n: number) =>
      ((await send(api(`/repos/${path}/builds/${n}`), { token })).json as ApiBuild | undefined)?.status
    const cancel = (n: number, as = token) =>
      send(api(`/repos/${path}/builds/${n}/cancel`), { method: 'DELETE', token: as })

    await create(path)
    later(50)
    expect(await buildStatus(1)).toBe('running')
    const refused = await cancel(1, vela.mintToken('reader'))
    expect([refused.status, errorOf(refused)]).toEqual([
      401,
      `user reader does not have 'write' permissions for the repo ${path}`,
    ])
    const running = await cancel(1)
    expect(running.status).toBe(200)
    expect(running.json).toMatchObject({
      number: 1,
      status: 'canceled',
      // As v0.28.8 answered (v0.22.2 and v0.25.3: "build was canceled by …").
      error: 'running build was canceled by octocat',
    })
    expect(await buildStatus(1)).toBe('canceled')
    const again = await cancel(1)
    expect([again.status, errorOf(again)]).toEqual([400, `found build ${path}/1 but its status was canceled`])

    vela.setBuildPlan('octo', name, { webhookDelayMs: 0, timeline: [{ status: 'pending', afterMs: 0 }] })
    await create(path)
    expect(
      await until(
        () => buildStatus(2),
        (status) => status === 'pending',
      ),
    ).toBe('pending')
    expect((await cancel(2)).json).toMatchObject({ number: 2, status: 'canceled', error: '' })
    const missing = await cancel(9)
    expect([missing.status, errorOf(missing)]).toEqual([
      404,
      `unable to read build ${path}/9: record not found`,
    ])
  })

  it('GET /version answers without a token (§1.9)', async () => {
    const answer = await send(`${vela.url}/version`)
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({ canonical: 'v0.28.8', major: 0, minor: 28, patch: 8 })
  })

  it("unknown routes are gin's plain-text 404, not Vela's JSON, before any auth", async () => {
    for (const url of [`${vela.url}/nope`, api('/deployments/octo/x/1/extra'), api('/deployments/octo/x/')]) {
      const answer = await send(url)
      expect(answer.status).toBe(404)
      expect([answer.headers.get('content-type'), answer.text]).toEqual(['text/plain', '404 page not found'])
    }
    expect((await send(api('/deployments/octo/x'), { method: 'PUT' })).status).toBe(404)
  })

  describe('order of checks on create (§1.1)', () => {
    it('404 for a repo Vela does not know, once authenticated', async () => {
      const answer = await create('octo/not-enabled')
      expect(answer.status).toBe(404)
      expect(answer.json).toEqual({ error: 'unable to read repo octo/not-enabled: record not found' })
    })

    it('401 without write access, before the body is read', async () => {
      const { path } = newRepo({ writers: ['octocat'], readers: ['reader'] })
      const reader = vela.mintToken('reader')
      const answer = await send(api(`/deployments/${path}`), {
        token: reader,
        body: '',
        headers: { 'content-type': 'application/json' },
      })
      expect(answer.status).toBe(401)
      expect(errorOf(answer)).toBe(`user reader does not have 'write' permissions for the repo ${path}`)
      // a reader may read …
      expect((await send(api(`/deployments/${path}`), { token: reader })).status).toBe(200)
      // … an outsider may not
      const outsider = await send(api(`/deployments/${path}`), { token: vela.mintToken('outsider') })
      expect(outsider.status).toBe(401)
      expect(errorOf(outsider)).toBe(`user outsider does not have 'read' permissions for repo ${path}`)
    })

    it('lets the owner of a personal repo write whoever the writers are', async () => {
      vela.addRepo('outsider', 'own', { writers: [] })
      expect((await create('outsider/own', {}, vela.mintToken('outsider'))).status).toBe(201)
    })
  })

  describe('201 body (§1.3, §1.7)', () => {
    it('is the stored deployment with the full repo and no builds', async () => {
      const { name, path } = newRepo()
      const now = Math.floor(fakeNow() / 1000)
      const answer = await create(path, {
        target: 'staging',
        ref: 'refs/tags/v1.2.3',
        payload: { region: 'eu' },
      })
      expect(answer.status).toBe(201)
      const d = answer.json as ApiDeployment
      expect(Object.keys(d)).toEqual([
        'id',
        'number',
        'repo',
        'url',
        'commit',
        'ref',
        'task',
        'target',
        'description',
        'payload',
        'created_at',
        'created_by',
      ])
      expect(d).toMatchObject({
        url: `https://api.github.com/repos/${path}/deployments/${d.number}`,
        commit: TAG_SHA,
        ref: 'refs/tags/v1.2.3',
        task: 'deploy:vela',
        target: 'staging',
        description: 'Deployment request from Vela',
        payload: { region: 'eu' },
        created_by: 'octocat',
      })
      expect(d.created_at).toBeGreaterThanOrEqual(now)
      expect(d.number).toBeGreaterThanOrEqual(FIRST_GITHUB_DEPLOYMENT_ID)
      expect(d.repo).toMatchObject({
        org: 'octo',
        name,
        full_name: path,
        branch: 'main',
        active: true,
        allow_events: { deployment: { created: true } },
      })
      expect(vela.deploymentsOf('octo', name)).toHaveLength(1)
    })

    it('fills defaults: description, task, ref from the default branch; GitHub defaults a missing target', async () => {
      const { path } = newRepo()
      const d = (await create(path, {})).json as ApiDeployment
      expect(d).toMatchObject({
        ref: 'refs/heads/main',
        commit: BRANCH_SHA,
        target: 'production',
        task: 'deploy:vela',
        payload: {},
      })
      expect(((await create(path, { target: '' })).json as ApiDeployment).target).toBe('')
    })

    it('hands out increasing GitHub ids as numbers, and ignores id, number, commit, url and builds sent', async () => {
      const { path } = newRepo()
      const first = (await create(path)).json as ApiDeployment
      const second = (
        await create(path, {
          id: 7,
          number: 1,
          commit: 'f'.repeat(40),
          url: 'https://evil',
          builds: [{ id: 99 }],
          created_by: 'x',
        })
      ).json as ApiDeployment
      expect(second.number).toBe((first.number ?? 0) + 1)
      expect(second.id).toBe(first.id + 1)
      expect(second).toMatchObject({ commit: BRANCH_SHA, created_by: 'octocat' })
      expect(second.url).toContain('api.github.com')
      expect(second).not.toHaveProperty('builds')
    })

    it('resolves a branch, a full ref, a tag or a known SHA; anything else is a 500 from the pipeline fetch', async () => {
      const { path } = newRepo()
      for (const [ref, commit] of [
        ['main', BRANCH_SHA],
        ['refs/heads/main', BRANCH_SHA],
        ['v1.2.3', TAG_SHA],
        [TAG_SHA, TAG_SHA],
      ]) {
        expect(((await create(path, { ref })).json as ApiDeployment).commit).toBe(commit)
      }
      const answer = await create(path, { ref: 'refs/heads/nope' })
      expect(answer.status).toBe(500)
      expect(errorOf(answer)).toBe(
        `unable to get deployment config for ${path}: unable to get pipeline configuration for ${path}@refs/heads/nope: no valid pipeline configuration file (.vela.yml,.vela.yaml) found`,
      )
    })

    it("500 with GitHub's words when GitHub rejects it, and nothing stored", async () => {
      const { name, path } = newRepo({
        githubFailure: 'POST https://api.github.com/repos/x/deployments: 401 Bad credentials []',
      })
      const answer = await create(path)
      expect(answer.status).toBe(500)
      expect(errorOf(answer)).toBe(
        `unable to create new deployment for ${path}: POST https://api.github.com/repos/x/deployments: 401 Bad credentials []`,
      )
      expect(vela.deploymentsOf('octo', name)).toHaveLength(0)
    })
  })

  describe('request body decoding (§1.2)', () => {
    it('uses form binding (all defaults) unless Content-Type is application/json', async () => {
      const { path } = newRepo()
      const body = JSON.stringify({ target: 'staging', ref: 'refs/tags/v1.2.3', payload: { a: 'b' } })
      for (const contentType of [
        undefined,
        'text/plain',
        'application/x-www-form-urlencoded',
        'Application/JSON',
      ]) {
        const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {}
        const answer = await send(api(`/deployments/${path}`), { token, body, headers })
        expect(answer.status).toBe(201)
        expect(answer.json).toMatchObject({ target: 'production', ref: 'refs/heads/main', payload: {} })
      }
      const withCharset = await send(api(`/deployments/${path}`), {
        token,
        body,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      })
      expect(withCharset.json).toMatchObject({
        target: 'staging',
        ref: 'refs/tags/v1.2.3',
        payload: { a: 'b' },
      })
    })

    it('400 for a body it cannot decode, sent as text/plain (§1.6 quirk); null parameters become ""', async () => {
      const { path } = newRepo()
      const post = (body: string) =>
        send(api(`/deployments/${path}`), { token, body, headers: { 'content-type': 'application/json' } })
      for (const body of ['', '{"target":5}', '{"payload":{"a":1}}']) {
        const answer = await post(body)
        expect(answer.status).toBe(400)
        expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8')
        expect(errorOf(answer)).toMatch(
          new RegExp(`^unable to decode JSON for new deployment for ${path}: .`),
        )
      }
      const created = await post('{"target":"qa","payload":{"a":"b","c":null},"extra":[1]}')
      expect(created.json).toMatchObject({ target: 'qa', payload: { a: 'b', c: '' } })
    })
  })

  describe('deployment config (§1.4, §3.1)', () => {
    const config = {
      targets: ['staging', 'production'],
      parameters: {
        Region: { required: true, options: ['us-east-1', 'us-west-1'] },
        replicas: { type: 'integer', min: 1, max: 5 },
        floor: { type: 'int', min: 3 },
        canary: { type: 'bool' },
        note: { type: 'string' },
      },
    }

    it.each([
      [{ target: 'production', payload: { REGION: 'us-west-1', replicas: 'many', other: 'y' } }, undefined],
      [{ target: 'production', payload: { region: '' } }, undefined],
      [{ payload: { region: 'us-east-1' } }, 'deployment target `` not found in deployment config targets'],
      [
        { target: 'Production', payload: { region: 'us-east-1' } },
        'deployment target `Production` not found in deployment config targets',
      ],
      [{ target: 'staging' }, 'deployment parameter Region is required'],
      [{ target: 'staging', payload: { region: 'eu' } }, 'deployment parameter Region is not a valid option'],
    ])('%j → %s', async (body, reason) => {
      const { path } = newRepo({ deploymentConfig: config })
      const answer = await create(path, body)
      if (reason === undefined) expect(answer.status).toBe(201)
      else
        expect(answer.json).toEqual({ error: `unable to validate deployment config for ${path}: ${reason}` })
      if (reason !== undefined) expect(answer.status).toBe(400)
    })

    it('GET …/config returns the block, or just a template when there is none', async () => {
      const { path } = newRepo({ deploymentConfig: config })
      const answer = await send(api(`/deployments/${path}/config?ref=refs/tags/v1.2.3`), { token })
      expect(answer.status).toBe(200)
      expect(answer.json).toEqual({
        targets: ['staging', 'production'],
        parameters: {
          Region: { required: true, options: ['us-east-1', 'us-west-1'] },
          canary: { type: 'bool' },
          floor: { type: 'int', min: 3 },
          note: { type: 'string' },
          replicas: { type: 'integer', min: 1, max: 5 },
        },
        template: {},
      })
      const plain = newRepo()
      expect((await send(api(`/deployments/${plain.path}/config`), { token })).json).toEqual({ template: {} })
    })
  })

  describe('the webhook and the build it creates (§1.8, §3.2)', () => {
    it('creates a deployment build, links it to the deployment, and plays the timeline', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, {
        webhookDelayMs: 300,
        timeline: [
          { status: 'pending', afterMs: 0 },
          { status: 'running', afterMs: 300 },
          { status: 'success', afterMs: 600 },
        ],
      })
      const d = (await create(path, { target: 'staging', ref: 'main', payload: { k: 'v' } }))
        .json as ApiDeployment
      expect((await send(api(`/deployments/${path}/${d.number}`), { token })).json).not.toHaveProperty(
        'builds',
      )

      later(300)
      const linked = (await send(api(`/deployments/${path}/${d.number}`), { token })).json as ApiDeployment
      const build = linked.builds?.[0] as ApiBuild
      expect(build).toMatchObject({
        number: 1,
        repo: { id: (d.repo as { id: number }).id },
        event: 'deployment',
        event_action: 'created',
        status: 'pending',
        deploy: 'staging',
        deploy_number: d.number,
        deploy_payload: { k: 'v' },
        commit: BRANCH_SHA,
        branch: 'main',
        ref: 'refs/heads/main',
        source: d.url,
        link: `https://vela-ui.test/octo/${name}/1`,
      })
      expect(Object.keys(build.repo ?? {})).toEqual(['id'])
      expect(build.created).toBeGreaterThanOrEqual(d.created_at ?? 0)

      later(300)
      const running = vela.buildsOf('octo', name)[0] as ApiBuild
      expect(running.status).toBe('running')
      expect(running.started).toBeGreaterThan(0)
      expect(running.finished).toBe(0)
      later(300)
      const done = (await send(api(`/repos/${path}/builds/1`), { token })).json as ApiBuild
      expect(done).toMatchObject({ status: 'success', repo: { full_name: path } })
      expect(done.finished).toBeGreaterThanOrEqual(done.started)
    })

    it('keeps tags as refs/tags/…, and a branch as the build branch', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, { webhookDelayMs: 0 })
      await create(path, { ref: 'refs/tags/v1.2.3' })
      await create(path, { ref: 'main' })
      const builds = await until(
        () => vela.buildsOf('octo', name),
        (b) => b.length === 2,
      )
      expect(builds.map((b) => [b.number, b.branch, b.ref])).toEqual([
        [1, 'refs/tags/v1.2.3', 'refs/tags/v1.2.3'],
        [2, 'main', 'refs/heads/main'],
      ])
    })

    it('builds without linking the build to its deployment, when planned', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, { webhookDelayMs: 0, linkToDeployment: false })
      const d = (await create(path)).json as ApiDeployment
      later(500)
      expect(vela.buildsOf('octo', name).map((b) => b.deploy_number)).toEqual([d.number])
      expect((vela.deploymentsOf('octo', name)[0] as ApiDeployment).builds).toBeUndefined()
    })

    it('adds builds of other deployments on the same commit just before ours', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, { webhookDelayMs: 0, extraBuildsOnCommit: 2 })
      const d = (await create(path)).json as ApiDeployment
      const builds = await until(
        () => vela.buildsOf('octo', name),
        (b) => b.length === 3,
      )
      expect(builds.map((b) => b.commit)).toEqual([BRANCH_SHA, BRANCH_SHA, BRANCH_SHA])
      expect(builds[2]?.deploy_number).toBe(d.number)
      expect(new Set(builds.map((b) => b.deploy_number)).size).toBe(3)
      const linked = await until(
        () => vela.deploymentsOf('octo', name)[0] as ApiDeployment,
        (x) => x.builds !== undefined,
      )
      expect(linked.builds?.map((b) => b.number)).toEqual([3])
    })

    it('starts a second build of the deployment when the webhook is delivered again, and links both', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, {
        webhookDelayMs: 0,
        redelivered: true,
        timeline: [{ status: 'success', afterMs: 0 }],
      })
      const d = (await create(path)).json as ApiDeployment
      const builds = await until(
        () => vela.buildsOf('octo', name),
        (b) => b.length === 2,
      )
      expect(builds.map((b) => [b.number, b.deploy_number, b.status])).toEqual([
        [1, d.number, 'failure'],
        [2, d.number, 'success'],
      ])
      expect((await send(api(`/hooks/${path}`), { token })).json).toHaveLength(2)
      const linked = await until(
        () => vela.deploymentsOf('octo', name)[0] as ApiDeployment,
        (x) => x.builds !== undefined,
      )
      expect(linked.builds?.map((b) => b.number).sort()).toEqual([1, 2])
    })

    it.each([
      [
        'deployment:created disabled',
        { allowDeploymentCreated: false },
        {},
        'unable to process webhook: octo/NAME does not have deployment:created event enabled',
      ],
      [
        'steps all skipped',
        {},
        { webhook: 'skip-all-steps' as const },
        'skipping build since only init and clone steps found',
      ],
    ])('%s: 201, then a skipped hook and no build', async (_, repoOptions, plan, error) => {
      const { name, path } = newRepo(repoOptions)
      vela.setBuildPlan('octo', name, { webhookDelayMs: 0, ...plan })
      const answer = await create(path)
      expect(answer.status).toBe(201)
      const hooks = await until(
        async () => (await send(api(`/hooks/${path}`), { token })).json as ApiHook[],
        (h) => h.length > 0,
      )
      expect(hooks).toHaveLength(1)
      expect(hooks[0]).toMatchObject({ event: 'deployment', event_action: 'created', status: 'skipped' })
      expect(hooks[0]?.error).toContain(error.replace('NAME', name))
      expect(hooks[0]).not.toHaveProperty('build')
      expect(vela.buildsOf('octo', name)).toHaveLength(0)
      if ('allowDeploymentCreated' in repoOptions) {
        expect(answer.json).toMatchObject({ repo: { allow_events: { deployment: { created: false } } } })
      }
    })

    it("'never' means no hook and no build", async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, { webhook: 'never', webhookDelayMs: 0 })
      await create(path)
      later(60_000)
      expect((await send(api(`/hooks/${path}`), { token })).json).toEqual([])
      expect(vela.buildsOf('octo', name)).toHaveLength(0)
    })

    it('records successful deliveries newest first, with their build', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, { webhookDelayMs: 0 })
      await create(path)
      await create(path)
      const hooks = await until(
        async () => (await send(api(`/hooks/${path}`), { token })).json as ApiHook[],
        (h) => h.length === 2,
      )
      expect(hooks.map((h) => h.number)).toEqual([2, 1])
      expect(hooks.map((h) => h.status)).toEqual(['success', 'success'])
      expect(hooks[0]?.build).toMatchObject({ number: 2, repo: { id: expect.any(Number) } })
      expect(Object.keys(hooks[0] ?? {})).toEqual(
        expect.arrayContaining([
          'id',
          'repo',
          'build',
          'number',
          'source_id',
          'created',
          'host',
          'event',
          'event_action',
          'branch',
          'error',
          'status',
          'link',
          'webhook_id',
        ]),
      )
    })
  })

  describe('reading back (§3.1–§3.6)', () => {
    let repo: { name: string; path: string }
    let deployments: ApiDeployment[]

    beforeAll(async () => {
      repo = newRepo()
      vela.setBuildPlan('octo', repo.name, {
        webhookDelayMs: 0,
        timeline: [{ status: 'failure', afterMs: 0 }],
        steps: [
          { name: 'clone', status: 'success', log: 'cloned\n' },
          { name: 'deploy', status: 'failure', exitCode: 3, log: 'boom ✗\n' },
          { name: 'notify', status: 'success' },
        ],
      })
      deployments = []
      for (let i = 0; i < 3; i++) deployments.push((await create(repo.path)).json as ApiDeployment)
      await until(
        () => vela.buildsOf('octo', repo.name),
        (b) => b.length === 3,
      )
    })

    it('lists deployments by number DESC, a page at a time', async () => {
      const all = await send(api(`/deployments/${repo.path}`), { token })
      expect((all.json as ApiDeployment[]).map((d) => d.number)).toEqual(
        deployments.map((d) => d.number).reverse(),
      )
      expect((all.json as ApiDeployment[])[0]?.builds).toHaveLength(1)
      const page = async (query: string) =>
        ((await send(api(`/deployments/${repo.path}?${query}`), { token })).json as unknown[]).length
      expect(await page('per_page=2')).toBe(2)
      expect(await page('page=2&per_page=2')).toBe(1)
      expect(await page('per_page=0')).toBe(1)
      const bad = await send(api(`/deployments/${repo.path}?page=x`), { token })
      expect([bad.status, errorOf(bad)]).toEqual([
        400,
        `unable to convert page query parameter for ${repo.path}: strconv.Atoi: parsing "x": invalid syntax`,
      ])
    })

    it('GET one deployment: 400 for a non-integer, 500 (not 404) when GitHub has none either', async () => {
      const bad = await send(api(`/deployments/${repo.path}/abc`), { token })
      expect(bad.status).toBe(400)
      expect(errorOf(bad)).toBe('invalid deployment parameter provided: abc')
      const missing = await send(api(`/deployments/${repo.path}/1`), { token })
      expect(missing.status).toBe(500)
      expect(errorOf(missing)).toMatch(new RegExp(`^unable to get deployment ${repo.path}/1: .*404`))
    })

    it('filters builds by event, commit, and created strictly before and after', async () => {
      const numbers = async (query: string) =>
        ((await send(api(`/repos/${repo.path}/builds?${query}`), { token })).json as ApiBuild[]).map(
          (b) => b.number,
        )
      const far = 'before=9999999999'
      expect(await numbers(far)).toEqual([3, 2, 1])
      expect(await numbers(`${far}&event=deployment&commit=${BRANCH_SHA}`)).toEqual([3, 2, 1])
      expect(await numbers(`${far}&event=push`)).toEqual([])
      expect(await numbers(`${far}&commit=${BRANCH_SHA.slice(0, 7)}`)).toEqual([])
      expect(await numbers(`${far}&per_page=2&page=2`)).toEqual([1])

      // `created` is in whole seconds, and the three builds may straddle a second boundary.
      const created = vela.buildsOf('octo', repo.name).map((b) => b.created)
      const [oldest, newest] = [Math.min(...created), Math.max(...created)]
      expect(await numbers(`before=${oldest}`)).toEqual([])
      expect(await numbers(`before=${newest + 1}`)).toEqual([3, 2, 1])
      expect(await numbers(`${far}&after=${newest}`)).toEqual([])
      expect(await numbers(`${far}&after=${oldest - 1}`)).toEqual([3, 2, 1])
    })

    it('GET one build: full repo; 400 non-numeric; 404 unknown', async () => {
      const build = await send(api(`/repos/${repo.path}/builds/2`), { token })
      expect(build.json).toMatchObject({
        number: 2,
        status: 'failure',
        deploy_number: deployments[1]?.number,
        repo: { full_name: repo.path },
      })
      const bad = await send(api(`/repos/${repo.path}/builds/two`), { token })
      expect([bad.status, errorOf(bad)]).toEqual([400, 'invalid build parameter provided: two'])
      const missing = await send(api(`/repos/${repo.path}/builds/99`), { token })
      expect([missing.status, errorOf(missing)]).toEqual([
        404,
        `unable to read build ${repo.path}/99: record not found`,
      ])
    })

    it('lists steps by id DESC and serves logs base64-encoded; 404 without a log', async () => {
      const steps = (await send(api(`/repos/${repo.path}/builds/1/steps`), { token })).json as Array<
        Record<string, unknown>
      >
      expect(steps.map((s) => s.name)).toEqual(['notify', 'deploy', 'clone'])
      expect(steps[1]).toMatchObject({ number: 2, status: 'failure', exit_code: 3 })
      expect(
        ((await send(api(`/repos/${repo.path}/builds/1/steps?per_page=1`), { token })).json as unknown[])
          .length,
      ).toBe(1)

      const log = await send(api(`/repos/${repo.path}/builds/1/steps/2/logs`), { token })
      expect(log.status).toBe(200)
      const data = (log.json as { data: string }).data
      expect(Buffer.from(data, 'base64').toString('utf8')).toBe('boom ✗\n')
      expect(Object.keys(log.json as object)).toEqual([
        'id',
        'build_id',
        'repo_id',
        'service_id',
        'step_id',
        'data',
        'created_at',
      ])

      const none = await send(api(`/repos/${repo.path}/builds/1/steps/3/logs`), { token })
      expect([none.status, errorOf(none)]).toEqual([
        404,
        `unable to get logs for step ${repo.path}/1/3: record not found`,
      ])
      const noStep = await send(api(`/repos/${repo.path}/builds/1/steps/9/logs`), { token })
      expect(noStep.status).toBe(404)
    })

    it('default steps are init, clone, deploy; logs appear once a step has finished', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, {
        webhookDelayMs: 0,
        timeline: [
          { status: 'running', afterMs: 0 },
          { status: 'failure', afterMs: 500 },
        ],
      })
      await create(path)
      const steps = async () =>
        (await send(api(`/repos/${path}/builds/1/steps`), { token })).json as Array<Record<string, unknown>>
      const early = await steps()
      expect(early.map((s) => [s.name, s.status])).toEqual([
        ['deploy', 'running'],
        ['clone', 'success'],
        ['init', 'success'],
      ])
      expect((await send(api(`/repos/${path}/builds/1/steps/3/logs`), { token })).status).toBe(404)
      later(500)
      const late = await steps()
      expect(late.map((s) => [s.name, s.status])).toEqual([
        ['deploy', 'failure'],
        ['clone', 'success'],
        ['init', 'success'],
      ])
      expect((await send(api(`/repos/${path}/builds/1/steps/3/logs`), { token })).status).toBe(200)
    })

    it('steps with run times run one after another, each with its stage, start and end', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, {
        webhookDelayMs: 0,
        timeline: [
          { status: 'running', afterMs: 0 },
          { status: 'success', afterMs: 1_500 },
        ],
        steps: [
          { name: 'test', stage: 'build', status: 'success', runMs: 400, log: 'ok\n' },
          { name: 'deploy', stage: 'release', status: 'success', runMs: 600, log: 'done\n' },
        ],
      })
      await create(path)
      const steps = async () =>
        (await send(api(`/repos/${path}/builds/1/steps`), { token })).json as Array<Record<string, unknown>>
      const early = await steps()
      expect(early.map((s) => [s.name, s.stage, s.status])).toEqual([
        ['deploy', 'release', 'pending'],
        ['test', 'build', 'running'],
      ])
      expect(early[0]).toMatchObject({ started: 0, finished: 0 })
      expect((await send(api(`/repos/${path}/builds/1/steps/1/logs`), { token })).status).toBe(404)
      later(400)
      const second = await steps()
      expect(second[0]).toMatchObject({ status: 'running' })
      expect(second[1]).toMatchObject({ status: 'success' })
      expect(second[1]?.finished).toBeGreaterThanOrEqual(second[1]?.started as number)
      expect((await send(api(`/repos/${path}/builds/1/steps/1/logs`), { token })).status).toBe(200)
      later(600)
      const done = await steps()
      expect(done[0]).toMatchObject({ status: 'success' })
      expect(done[0]?.finished).toBeGreaterThanOrEqual(done[0]?.started as number)
    })
  })

  describe('fault injection', () => {
    it('stall: headers never come (the client has to time out)', async () => {
      const { path } = newRepo()
      vela.injectFault({ method: 'GET', path: new RegExp(`/deployments/${path}$`) }, { kind: 'stall' })
      await expect(
        fetch(api(`/deployments/${path}`), {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(100),
        }),
      ).rejects.toThrow()
      expect(vela.requests.at(-1)?.status).toBeUndefined()
      expect((await send(api(`/deployments/${path}`), { token })).status).toBe(200)
    })

    it('trickle: the normal answer, one byte at a time', async () => {
      vela.injectFault({ path: /\/deployments\/octo\/trickle$/ }, { kind: 'trickle', intervalMs: 2 })
      const started = Date.now()
      const answer = await send(api('/deployments/octo/trickle'))
      expect(answer.status).toBe(401)
      expect(answer.json).toEqual({ error: 'no token present in request' })
      expect(Date.now() - started).toBeGreaterThanOrEqual(answer.text.length * 2 * 0.8)
    })

    it('deleteBuild: the build is gone from reads and from its deployment', async () => {
      const { name, path } = newRepo()
      vela.setBuildPlan('octo', name, { webhookDelayMs: 0 })
      const created = await create(path)
      const number = (created.json as { number: number }).number
      const builds = await until(
        () => vela.buildsOf('octo', name),
        (b) => b.length === 1,
      )
      vela.deleteBuild('octo', name, builds[0]?.number ?? 0)
      const missing = await send(api(`/repos/${path}/builds/${builds[0]?.number ?? 0}`), { token })
      expect([missing.status, errorOf(missing)]).toEqual([
        404,
        `unable to read build ${path}/${builds[0]?.number ?? 0}: record not found`,
      ])
      const deployment = await send(api(`/deployments/${path}/${number}`), { token })
      expect((deployment.json as { builds?: unknown[] }).builds ?? []).toEqual([])
    })

    it('delay: the deployment is created at once, its answer comes later', async () => {
      const { name, path } = newRepo()
      vela.injectFault(
        { method: 'POST', path: new RegExp(`/deployments/octo/${name}$`) },
        { kind: 'delay', delayMs: 300 },
      )
      const started = Date.now()
      const answer = create(path)
      await until(
        () => vela.deploymentsOf('octo', name),
        (d) => d.length === 1,
      )
      expect((await answer).status).toBe(201)
      expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    })

    it('reset-after-handling: the deployment is created, the client gets no answer', async () => {
      const { name, path } = newRepo()
      vela.injectFault(
        { method: 'POST', path: new RegExp(`/deployments/octo/${name}$`) },
        { kind: 'reset-after-handling' },
      )
      await expect(create(path)).rejects.toThrow()
      expect(vela.deploymentsOf('octo', name)).toHaveLength(1)
      expect(vela.requests.at(-1)?.status).toBeUndefined()
    })

    it('status: instead of handling, or after it (504 with the deployment created)', async () => {
      const { name, path } = newRepo()
      const match = { method: 'POST', path: new RegExp(`/deployments/octo/${name}$`) }
      vela.injectFault(match, {
        kind: 'status',
        status: 503,
        headers: { 'retry-after': '2' },
        body: '<h1>down</h1>',
        contentType: 'text/html',
      })
      vela.injectFault(match, { kind: 'status', status: 504, afterHandling: true })
      const unavailable = await create(path)
      expect([
        unavailable.status,
        unavailable.headers.get('retry-after'),
        unavailable.headers.get('content-type'),
        unavailable.text,
      ]).toEqual([503, '2', 'text/html', '<h1>down</h1>'])
      expect(vela.deploymentsOf('octo', name)).toHaveLength(0)
      expect((await create(path)).status).toBe(504)
      expect(vela.deploymentsOf('octo', name)).toHaveLength(1)
      expect((await create(path)).status).toBe(201)
      expect(vela.requests.slice(-3).map((r) => r.status)).toEqual([503, 504, 201])
    })

    it('times: a fault can hit several requests; method must match', async () => {
      vela.injectFault({ method: 'POST', path: /\/version$/ }, { kind: 'status', status: 500 })
      vela.injectFault({ path: /\/version$/ }, { kind: 'status', status: 502 }, 2)
      expect((await send(`${vela.url}/version`)).status).toBe(502)
      expect((await send(`${vela.url}/version`)).status).toBe(502)
      expect((await send(`${vela.url}/version`)).status).toBe(200)
    })

    it('redirect', async () => {
      vela.injectFault(
        { path: /\/version$/ },
        { kind: 'redirect', location: 'https://login.example.com/', status: 307 },
      )
      const response = await fetch(`${vela.url}/version`, { redirect: 'manual' })
      expect(response.status).toBe(307)
      expect(response.headers.get('location')).toBe('https://login.example.com/')
    })

    it('oversized: a streamed 200 JSON body of the given size', async () => {
      vela.injectFault({ path: /\/version$/ }, { kind: 'oversized', bytes: 5 * 1024 * 1024 })
      const response = await fetch(`${vela.url}/version`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-length')).toBeNull()
      const text = await response.text()
      expect(text.length).toBe(5 * 1024 * 1024)
      expect(JSON.parse(text)).toHaveProperty('data')
    })

    it('truncated-json: normal status, half the body', async () => {
      vela.injectFault({ path: /\/version$/ }, { kind: 'truncated-json' })
      const answer = await send(`${vela.url}/version`)
      const full = await send(`${vela.url}/version`)
      expect(answer.status).toBe(200)
      expect(answer.json).toBeUndefined()
      expect(answer.text).toBe(full.text.slice(0, Math.floor(full.text.length / 2)))
    })

    it('records every request with lower-cased headers and the body', async () => {
      const { path } = newRepo()
      await send(api(`/deployments/${path}?x=1`), {
        token,
        body: '{"target":"qa"}',
        headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' },
      })
      const last = vela.requests.at(-1)
      expect(last).toMatchObject({
        method: 'POST',
        path: `/api/v1/deployments/${path}?x=1`,
        body: '{"target":"qa"}',
        status: 201,
      })
      expect(last?.headers['x-trace']).toBe('abc')
      expect(last?.headers['content-type']).toBe('application/json')
    })
  })
})

describe('fake Vela options', () => {
  const started: FakeVela[] = []
  const start = async (options: FakeVelaOptions) => {
    const fake = await startFakeVela(options)
    started.push(fake)
    fake.addUser('octocat')
    fake.addRepo('octo', 'app', { refs: { main: DEFAULT_COMMIT, 'refs/tags/v1': TAG_SHA } })
    return fake
  }

  afterEach(async () => {
    await Promise.all(started.splice(0).map((f) => f.close()))
  })

  it('v0.22: id is the GitHub id, repo_id and user, no config route, builds tied only by source', async () => {
    const old = await start({ era: 'v0.22', webUiAddr: null })
    old.setBuildPlan('octo', 'app', { webhookDelayMs: 0, extraBuildsOnCommit: 1 })
    const token = old.mintToken('octocat')
    const api = (path: string) => `${old.url}/api/v1${path}`
    expect((await send(`${old.url}/version`)).json).toMatchObject({ canonical: 'v0.22.2', minor: 22 })

    const created = await send(api('/deployments/octo/app'), {
      token,
      json: { target: 'production', ref: 'refs/tags/v1' },
    })
    expect(created.status).toBe(201)
    const d = created.json as ApiDeployment
    expect(Object.keys(d)).toEqual([
      'id',
      'repo_id',
      'url',
      'user',
      'commit',
      'ref',
      'task',
      'target',
      'description',
      'payload',
    ])
    expect(d.id).toBeGreaterThanOrEqual(FIRST_GITHUB_DEPLOYMENT_ID)
    expect(d).toMatchObject({ user: 'octocat', commit: TAG_SHA })

    // A config block is not validated: the `deployment:` block is v0.26.
    const config = await send(api('/deployments/octo/app/config'), { token })
    expect([config.status, errorOf(config)]).toEqual([400, 'invalid deployment parameter provided: config'])

    const builds = await until(
      () => old.buildsOf('octo', 'app'),
      (b) => b.length === 2,
    )
    // types v0.22 has no deploy_number: only `source` names the deployment.
    expect(builds[1]).toMatchObject({ repo_id: expect.any(Number), link: '', source: d.url })
    expect(builds[1]).not.toHaveProperty('repo')
    expect(builds.some((b) => 'deploy_number' in b)).toBe(false)
    expect(builds[0]?.source).not.toBe(d.url)
    const got = (await send(api(`/deployments/octo/app/${d.id}`), { token })).json as ApiDeployment
    expect(got).not.toHaveProperty('builds')
    expect(got.id).toBe(d.id)
    // v0.10–v0.22 list: up to 3 builds matched by source == url
    const listed = (await send(api('/deployments/octo/app'), { token })).json as ApiDeployment[]
    expect(listed[0]?.builds?.map((b) => b.source)).toEqual([d.url])
    const hooks = (await send(api('/hooks/octo/app'), { token })).json as ApiHook[]
    expect(hooks[0]).toHaveProperty('build_id')
    expect(hooks[0]).not.toHaveProperty('build')
  })

  it('v0.23–v0.25: stored with number and repo_id, GET looks up the database id, no config, no validation', async () => {
    const mid = await start({ era: 'v0.23-v0.25', webUiAddr: null })
    mid.addRepo('octo', 'guarded', { deploymentConfig: { targets: ['staging'] } })
    mid.setBuildPlan('octo', 'app', { webhookDelayMs: 0 })
    const token = mid.mintToken('octocat')
    const api = (path: string) => `${mid.url}/api/v1${path}`
    expect((await send(`${mid.url}/version`)).json).toMatchObject({ canonical: 'v0.25.3', minor: 25 })

    const created = await send(api('/deployments/octo/app'), { token, json: { target: 'production' } })
    expect(created.status).toBe(201)
    const d = created.json as ApiDeployment
    expect(Object.keys(d)).toEqual([
      'id',
      'number',
      'repo_id',
      'url',
      'commit',
      'ref',
      'task',
      'target',
      'description',
      'payload',
      'created_at',
      'created_by',
    ])
    const [build] = await until(
      () => mid.buildsOf('octo', 'app'),
      (b) => b.length === 1,
    )
    expect(build).toMatchObject({ deploy_number: d.number, source: d.url, repo: { id: expect.any(Number) } })

    // By number: not a database id, so GitHub's copy answers, without number and builds.
    const byNumber = (await send(api(`/deployments/octo/app/${d.number}`), { token })).json as ApiDeployment
    expect(byNumber).toMatchObject({ id: d.number, repo_id: d.repo_id, url: d.url })
    expect(byNumber).not.toHaveProperty('number')
    expect(byNumber).not.toHaveProperty('builds')
    // By database id: the stored row, with the linked build.
    const byId = (await send(api(`/deployments/octo/app/${d.id}`), { token })).json as ApiDeployment
    expect(byId).toMatchObject({ number: d.number, builds: [{ number: build?.number }] })
    const listed = (await send(api('/deployments/octo/app'), { token })).json as ApiDeployment[]
    expect(listed[0]?.builds?.map((b) => b.deploy_number)).toEqual([d.number])

    const config = await send(api('/deployments/octo/app/config'), { token })
    expect([config.status, errorOf(config)]).toEqual([400, 'invalid deployment parameter provided: config'])
    const unchecked = await send(api('/deployments/octo/guarded'), { token, json: { target: 'production' } })
    expect(unchecked.status).toBe(201)
  })

  it('v0.26+: GET by number with linked builds and a nested repo', async () => {
    const fake = await start({})
    fake.setBuildPlan('octo', 'app', { webhookDelayMs: 0 })
    const token = fake.mintToken('octocat')
    expect((await send(`${fake.url}/version`)).json).toMatchObject({ canonical: 'v0.28.8', minor: 28 })
    const created = await send(`${fake.url}/api/v1/deployments/octo/app`, { token, json: { target: 'qa' } })
    const d = created.json as ApiDeployment
    expect(d).toHaveProperty('repo.full_name', 'octo/app')
    expect(d).not.toHaveProperty('repo_id')
    const got = await until(
      async () =>
        (await send(`${fake.url}/api/v1/deployments/octo/app/${d.number}`, { token })).json as ApiDeployment,
      (g) => (g.builds?.length ?? 0) > 0,
    )
    expect(got.builds?.[0]).toMatchObject({ deploy_number: d.number, source: d.url })
  })

  it('basePath: every route lives under it; url includes it', async () => {
    const fake = await start({ basePath: '/vela/' })
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/vela$/)
    expect((await send(`${fake.url}/version`)).status).toBe(200)
    expect((await send(`${fake.url.replace(/\/vela$/, '')}/version`)).status).toBe(404)
    fake.addPat('ghp_x', 'octocat')
    const exchanged = await send(`${fake.url}/authenticate/token`, {
      method: 'POST',
      headers: { Token: 'ghp_x' },
    })
    expect(exchanged.status).toBe(200)
    const created = await send(`${fake.url}/api/v1/deployments/octo/app`, {
      token: (exchanged.json as { token: string }).token,
      json: {},
    })
    expect(created.status).toBe(201)
  })

  it('accessTokenTtlSeconds sets the lifetime of exchanged tokens', async () => {
    const fake = await start({ accessTokenTtlSeconds: 2 })
    fake.addPat('ghp_x', 'octocat')
    const answer = await send(`${fake.url}/authenticate/token`, {
      method: 'POST',
      headers: { Token: 'ghp_x' },
    })
    const claims = decodeJwtPayload((answer.json as { token: string }).token)
    expect((claims.exp as number) - (claims.iat as number)).toBe(2)
  })

  it('close() ends stalled requests and resolves promptly', async () => {
    const fake = await start({})
    fake.injectFault({ path: /\/version$/ }, { kind: 'stall' }, 3)
    const pending = Promise.allSettled([send(`${fake.url}/version`), send(`${fake.url}/version`)])
    await until(
      () => fake.requests.length,
      (n) => n === 2,
    )
    const started = Date.now()
    await fake.close()
    const results = await pending
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    // Not left to the clients' own timeouts, which these requests do not have.
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
