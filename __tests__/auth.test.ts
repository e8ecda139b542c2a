import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

// The retry between exchange attempts sleeps through node:timers/promises; here it only notes how long it
// would have slept, so nothing really waits.
const sleeps: number[] = []
jest.unstable_mockModule('node:timers/promises', () => ({
  setTimeout: (ms: number) => {
    sleeps.push(ms)
    return Promise.resolve()
  },
}))

const { startFakeVela } = await import('../fake-vela/index.js')
const { VelaApi } = await import('../src/vela/api.js')
const { createAuthenticator } = await import('../src/vela/auth.js')
const { VelaHttp } = await import('../src/vela/http.js')
const { Connections } = await import('../src/vela/proxy.js')
const { TokenExchangeError } = await import('../src/vela/errors.js')
const { looksLikeJwt, readJwtClaims } = await import('../src/vela/jwt.js')
const { READ_ATTEMPTS } = await import('../src/vela/retry.js')
type FakeVela = import('../fake-vela/index.js').FakeVela

const TIMEOUT_MS = 5_000
const connections = Connections.fromEnv()
const http = (server: string) => new VelaHttp(server, connections)

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
/** An unsigned JWT with these claims: enough for the action, which never verifies a signature. */
const jwtWith = (claims: unknown) => `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}.c2ln`
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; sub: string }

const failure = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error,
  )

/** Virtual wall-clock time on a whole second (JWT `exp` is in seconds), for the server and the client alike. */
function freezeTime(): { at: number; set: (ms: number) => void } {
  const at = Math.ceil(Date.now() / 1000) * 1000 + 10_000
  let now = at
  jest.spyOn(Date, 'now').mockImplementation(() => now)
  return { at, set: (ms) => (now = ms) }
}

afterEach(() => {
  jest.restoreAllMocks()
  sleeps.length = 0
})

afterAll(async () => {
  await connections.close()
})

describe('authenticating with a Vela token', () => {
  it('sends the token as a bearer token, never asks the server, and cannot renew it', async () => {
    const expiresAt = new Date('2030-01-01T00:00:00Z')
    let secrets = 0
    const auth = createAuthenticator(
      http('http://127.0.0.1:9'),
      { kind: 'vela-token', token: 'header.claims.sig', user: 'octocat', expiresAt },
      TIMEOUT_MS,
      () => secrets++,
    )
    expect(auth.kind).toBe('vela-token')
    expect(await auth.authorization()).toBe('Bearer header.claims.sig')
    expect(await auth.renew()).toBe(false)
    expect(auth.user()).toBe('octocat')
    expect(auth.expiresAt()).toBe(expiresAt)
    expect(secrets).toBe(0)
  })

  it('knows no user or expiry the credential does not give', () => {
    const auth = createAuthenticator(
      http('http://127.0.0.1:9'),
      { kind: 'vela-token', token: 't', user: undefined, expiresAt: undefined },
      TIMEOUT_MS,
      () => undefined,
    )
    expect(auth.user()).toBeUndefined()
    expect(auth.expiresAt()).toBeUndefined()
  })
})

describe('authenticating with a personal access token, at the fake Vela', () => {
  let vela: FakeVela
  let shortLived: FakeVela

  beforeAll(async () => {
    vela = await startFakeVela()
    shortLived = await startFakeVela({ accessTokenTtlSeconds: 60 })
    for (const server of [vela, shortLived]) {
      server.addUser('octocat')
      server.addPat('ghp_octocat', 'octocat')
      server.addRepo('octo', 'app')
    }
  })

  afterAll(async () => {
    await vela.close()
    await shortLived.close()
  })

  const pat = (
    server: FakeVela,
    onSecret: (secret: string) => void = () => undefined,
    token = 'ghp_octocat',
  ) => createAuthenticator(http(server.url), { kind: 'personal-access-token', token }, TIMEOUT_MS, onSecret)
  const exchanges = (server: FakeVela, since: number) =>
    server.requests.slice(since).filter((r) => r.path === '/authenticate/token')

  it('exchanges the token once, and only when a request first needs it', async () => {
    const since = vela.requests.length
    const auth = pat(vela)
    expect(auth.kind).toBe('personal-access-token')
    expect(auth.user()).toBeUndefined()
    expect(auth.expiresAt()).toBeUndefined()
    expect(exchanges(vela, since)).toHaveLength(0)

    const first = await auth.authorization()
    const second = await auth.authorization()
    expect(first).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
    expect(second).toBe(first)
    const sent = exchanges(vela, since)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ method: 'POST', status: 200 })
    expect(sent[0]?.headers.token).toBe('ghp_octocat')
    expect(sent[0]?.headers.authorization).toBeUndefined()
  })

  it('tells onSecret the Vela token before anything uses it', async () => {
    const since = vela.requests.length
    const told: Array<{ secret: string; usedBefore: boolean }> = []
    const auth = pat(vela, (secret) =>
      told.push({
        secret,
        usedBefore: vela.requests.some((r) => r.headers.authorization?.includes(secret)),
      }),
    )
    const deployments = await new VelaApi(http(vela.url), auth, TIMEOUT_MS).listDeployments('octo', 'app', 10)
    expect(deployments).toEqual([])
    expect(told).toHaveLength(1)
    expect(told[0]?.usedBefore).toBe(false)
    const used = vela.requests.slice(since).filter((r) => r.path.startsWith('/api/'))
    expect(used.map((r) => r.headers.authorization)).toEqual([`Bearer ${told[0]?.secret}`])
  })

  it("knows the user and the expiry from the Vela token's claims", async () => {
    const time = freezeTime()
    const tokens: string[] = []
    const auth = pat(vela, (s) => tokens.push(s))
    await auth.authorization()
    expect(auth.user()).toBe('octocat')
    expect(auth.expiresAt()).toEqual(new Date(time.at + 900_000))
    expect(auth.expiresAt()).toEqual(new Date(claimsOf(tokens[0] ?? '').exp * 1000))
  })

  it('exchanges again 30 s before the Vela token expires, and sends the new token', async () => {
    const time = freezeTime()
    const since = vela.requests.length
    const tokens: string[] = []
    const auth = pat(vela, (s) => tokens.push(s))
    const first = await auth.authorization()

    time.set(time.at + 900_000 - 30_001)
    expect(await auth.authorization()).toBe(first)
    expect(exchanges(vela, since)).toHaveLength(1)

    time.set(time.at + 900_000 - 30_000)
    const renewed = await auth.authorization()
    expect(exchanges(vela, since)).toHaveLength(2)
    expect(tokens).toHaveLength(2)
    expect(renewed).toBe(`Bearer ${tokens[1]}`)
    expect(renewed).not.toBe(first)
    expect(auth.expiresAt()).toEqual(new Date(time.at + 900_000 - 30_000 + 900_000))
  })

  it('exchanges a short-lived token again when a quarter of its life is left', async () => {
    const time = freezeTime()
    const since = shortLived.requests.length
    const auth = pat(shortLived)
    await auth.authorization()
    time.set(time.at + 45_000 - 1)
    await auth.authorization()
    expect(exchanges(shortLived, since)).toHaveLength(1)
    time.set(time.at + 45_000)
    await auth.authorization()
    expect(exchanges(shortLived, since)).toHaveLength(2)
  })

  it('exchanges again on every renew, for a request that got a 401', async () => {
    const since = vela.requests.length
    const auth = pat(vela)
    expect(await auth.renew()).toBe(true)
    expect(await auth.renew()).toBe(true)
    await auth.authorization()
    expect(exchanges(vela, since)).toHaveLength(2)
  })

  it('fails at once with what Vela said when it refuses the personal access token', async () => {
    const since = vela.requests.length
    let told = 0
    const error = await failure(pat(vela, () => told++, 'ghp_unknown').authorization())
    expect(error).toBeInstanceOf(TokenExchangeError)
    expect((error as Error).cause).toMatchObject({
      status: 401,
      message: expect.stringContaining('401 Bad credentials') as unknown,
    })
    expect(exchanges(vela, since)).toHaveLength(1)
    expect(sleeps).toEqual([])
    expect(told).toBe(0)
  })

  it('tries the exchange again through transient trouble', async () => {
    const since = vela.requests.length
    vela.injectFault(
      { method: 'POST', path: /^\/authenticate\/token$/ },
      { kind: 'status', status: 502, body: '<h1>Bad Gateway</h1>', contentType: 'text/html' },
      READ_ATTEMPTS - 1,
    )
    const header = await pat(vela).authorization()
    expect(header).toMatch(/^Bearer /)
    expect(exchanges(vela, since).map((r) => r.status)).toEqual([502, 502, 200])
    expect(sleeps).toHaveLength(READ_ATTEMPTS - 1)
  })

  it("ends within the caller's timeout when the exchange hangs, however long the request timeout", async () => {
    const since = vela.requests.length
    // One stall: a second attempt would be answered, so the test sees any retry the deadline should prevent.
    vela.injectFault({ method: 'POST', path: /^\/authenticate\/token$/ }, { kind: 'stall' }, 1)
    const patWithLongTimeout = createAuthenticator(
      http(vela.url),
      { kind: 'personal-access-token', token: 'ghp_octocat' },
      60_000,
      () => undefined,
    )
    const started = Date.now()
    const error = await failure(patWithLongTimeout.authorization({ timeoutMs: 300 }))
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(error).toBeInstanceOf(TokenExchangeError)
    expect((error as Error).message).toMatch(/no complete answer within under 1s/)
    expect(exchanges(vela, since)).toHaveLength(1)
  })

  it(`gives up after ${READ_ATTEMPTS} attempts`, async () => {
    const since = vela.requests.length
    vela.injectFault(
      { method: 'POST', path: /^\/authenticate\/token$/ },
      { kind: 'status', status: 503, body: '{"error":"maintenance"}', contentType: 'application/json' },
      READ_ATTEMPTS,
    )
    const error = await failure(pat(vela).authorization())
    expect(error).toBeInstanceOf(TokenExchangeError)
    expect((error as Error).cause).toMatchObject({ status: 503, serverMessage: 'maintenance' })
    expect(exchanges(vela, since)).toHaveLength(READ_ATTEMPTS)
    expect(sleeps).toHaveLength(READ_ATTEMPTS - 1)
  })
})

describe('an exchange that answers without a usable Vela token', () => {
  let server: Server
  let url: string
  let answer = '{}'
  let received = 0

  beforeAll(async () => {
    server = createServer((_req, res) => {
      received++
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await connections.close()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const exchange = async (body: string) => {
    answer = body
    received = 0
    const told: string[] = []
    const auth = createAuthenticator(
      http(url),
      { kind: 'personal-access-token', token: 'ghp_x' },
      TIMEOUT_MS,
      (s) => told.push(s),
    )
    const result = await auth.authorization().then(
      (header) => ({ header }),
      (error: unknown) => ({ error }),
    )
    return { ...result, auth, told, received }
  }

  it.each([
    ['no token', '{"user":"octocat"}'],
    ['an empty token', '{"token":""}'],
    ['a token that is not text', '{"token":12345}'],
    ['a body that is not an object', '["token"]'],
  ])('is refused when the answer has %s, after one request', async (_name, body) => {
    const result = await exchange(body)
    expect(result).toMatchObject({
      error: expect.any(TokenExchangeError) as unknown,
    })
    expect((result as { error: Error }).error.cause).toMatchObject({
      reason: 'unexpected-shape',
      status: 200,
      message: 'POST /authenticate/token answered without a Vela access token',
    })
    expect(result.received).toBe(1)
    expect(result.told).toEqual([])
  })

  it('is refused when the token is not a JWT, and the token is never sent on', async () => {
    const result = await exchange('{"token":"ghp_not-a-vela-token"}')
    expect((result as { error: Error }).error.cause).toMatchObject({
      reason: 'unexpected-shape',
      message: 'POST /authenticate/token answered without a Vela access token',
    })
    expect(result.received).toBe(1)
    expect(result.auth.user()).toBeUndefined()
  })

  // Masking "e" would hide every e in the rest of the job log; what is refused is never used or printed.
  it('masks nothing that it refuses, however short', async () => {
    const result = await exchange('{"token":"e"}')
    expect((result as { error: Error }).error.cause).toMatchObject({ reason: 'unexpected-shape' })
    expect(result.told).toEqual([])
  })

  it('uses a JWT whose claims it cannot read, knowing no user and never renewing it early', async () => {
    const token = `${base64url({ alg: 'none' })}.${base64url(42)}.`
    const result = await exchange(JSON.stringify({ token }))
    expect(result).toMatchObject({ header: `Bearer ${token}` })
    expect(result.told).toEqual([token])
    expect(result.auth.user()).toBeUndefined()
    expect(result.auth.expiresAt()).toBeUndefined()
    await result.auth.authorization()
    expect(received).toBe(1)
  })

  it('takes the user from a token without an expiry', async () => {
    const token = jwtWith({ sub: 'octocat', token_type: 'UserAccess' })
    const result = await exchange(JSON.stringify({ token, extra: true }))
    expect(result.auth.user()).toBe('octocat')
    expect(result.auth.expiresAt()).toBeUndefined()
  })

  it("judges the token's life by the server's clock, not the runner's", async () => {
    // The server's clock runs an hour behind: by the runner's, the token expired long ago.
    const serverNow = Math.floor(Date.now() / 1000) - 3600
    const token = jwtWith({ sub: 'octocat', iat: serverNow, exp: serverNow + 900 })
    const result = await exchange(JSON.stringify({ token }))
    await result.auth.authorization()
    await result.auth.authorization()
    expect(received).toBe(1)
  })

  it('exchanges again at the first request once a token has already expired', async () => {
    const token = jwtWith({ sub: 'octocat', exp: Math.floor(Date.now() / 1000) - 60 })
    const result = await exchange(JSON.stringify({ token }))
    expect(result.auth.expiresAt()?.getTime()).toBeLessThan(Date.now())
    await result.auth.authorization()
    expect(received).toBe(2)
  })
})

describe('reading a JWT', () => {
  it.each([
    ['three base64url parts', 'eyJh.eyJz.c2ln', true],
    ['an empty signature', 'eyJh.eyJz.', true],
    ['two parts', 'eyJh.eyJz', false],
    ['four parts', 'a.b.c.d', false],
    ['an empty claims part', 'a..c', false],
    ['standard base64 characters', 'a+b.c/d.e', false],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', false],
    ['spaces', 'a.b c.d', false],
  ])('looksLikeJwt: %s → %s', (_name, token, expected) => {
    expect(looksLikeJwt(token)).toBe(expected)
  })

  it('reads the claims the action uses', () => {
    expect(
      readJwtClaims(jwtWith({ sub: 'octocat', exp: 1_900_000_000, token_type: 'UserAccess', x: 1 })),
    ).toEqual({ sub: 'octocat', exp: 1_900_000_000, iat: undefined, token_type: 'UserAccess' })
    expect(readJwtClaims(jwtWith({ iat: 1_899_999_100 }))?.iat).toBe(1_899_999_100)
  })

  it('leaves out claims of the wrong type', () => {
    expect(readJwtClaims(jwtWith({ sub: 7, exp: '1900000000', iat: '1', token_type: null }))).toEqual({
      sub: undefined,
      exp: undefined,
      iat: undefined,
      token_type: undefined,
    })
    expect(readJwtClaims(jwtWith({}))).toEqual({
      sub: undefined,
      exp: undefined,
      iat: undefined,
      token_type: undefined,
    })
  })

  it.each([
    ['no claims part', 'just-one-part'],
    ['claims that are a number', `a.${base64url(42)}.c`],
    ['claims that are null', `a.${base64url(null)}.c`],
    ['claims that are an array', `a.${base64url([{ sub: 'octocat' }])}.c`],
    ['claims that are a string', `a.${base64url('octocat')}.c`],
    ['claims that are not JSON', `a.${Buffer.from('{"sub":').toString('base64url')}.c`],
    ['claims that are not base64url', 'a.%%%.c'],
  ])('has no claims for %s', (_name, token) => {
    expect(readJwtClaims(token)).toBeUndefined()
  })
})
