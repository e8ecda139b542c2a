import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import fc from 'fast-check'
import {
  BadResponseError,
  CancelledError,
  NetworkError,
  NotVelaApiError,
  ProxySettingError,
  VelaHttpError,
} from '../src/vela/errors.js'
import { VelaHttp } from '../src/vela/http.js'
import { Connections } from '../src/vela/proxy.js'
import { buildUrl } from '../src/vela/request.js'
import { retryAfterMs } from '../src/vela/response-body.js'
import { setTimeout as delay } from 'node:timers/promises'
import { startBrokenProxy, startProxy, startResettingPort } from './support/network.js'

// The HTTP layer against tiny local servers: each route plays one server behaviour.

type Handler = (req: IncomingMessage, res: ServerResponse) => void
const routes: Record<string, Handler> = {
  '/ok': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'),
  '/echo': (req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () =>
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ headers: req.headers, body })),
    )
  },
  '/text-plain-error': (_req, res) =>
    res
      .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
      .end('{"error":"unable to decode JSON"}'),
  '/two-documents': (_req, res) =>
    res
      .writeHead(401, { 'content-type': 'application/json' })
      .end('{"error":"error"}{"token":"header.payload.signature"}'),
  '/bom-201': (_req, res) =>
    res.writeHead(201, { 'content-type': 'application/json' }).end('\uFEFF{"number":42}'),
  '/html-502': (_req, res) =>
    res
      .writeHead(502, { 'content-type': 'text/html' })
      .end('<html><body><h1>502 Bad Gateway</h1></body></html>'),
  '/web-ui': (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>Vela</title>'),
  '/retry-later': (_req, res) =>
    res
      .writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' })
      .end('{"error":"slow down"}'),
  '/redirect': (_req, res) => res.writeHead(307, { location: 'https://elsewhere.example/api' }).end(),
  '/huge': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    let sent = 0
    const pump = () => {
      while (sent < 6 * 1024 * 1024) {
        sent += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      res.end()
    }
    pump()
  },
  '/declared-huge': (_req, res) =>
    res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).write('{'),
  '/truncated': (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": 1, "numb'),
  '/stall': () => undefined,
  '/trickle': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const timer = setInterval(() => res.write(' '), 50)
    res.on('close', () => {
      clearInterval(timer)
    })
  },
}

let server: Server
let base: string
const connections = Connections.fromEnv({})
const sendRequest = (server: string, req: Parameters<VelaHttp['send']>[0], through = connections) =>
  new VelaHttp(server, through).send(req)

beforeAll(async () => {
  server = createServer((req, res) =>
    (routes[new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/prefix/, '')] ?? routes['/ok'])?.(
      req,
      res,
    ),
  )
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`
})

afterAll(async () => {
  await connections.close()
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

const get = (path: string, timeoutMs = 5_000, through = connections) =>
  sendRequest(base, { method: 'GET', path: [path], timeoutMs }, through)
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  )

describe('VelaHttp.send', () => {
  it("calls a success status with a web page what it is: not Vela's API", async () => {
    const error = await failure(get('web-ui'))
    expect(error).toBeInstanceOf(NotVelaApiError)
    expect(error).toMatchObject({ status: 200, path: '/prefix/web-ui', code: 'NOT_VELA_API' })
  })

  it("marks an error status with a web page as not Vela's own answer", async () => {
    expect(await failure(get('html-502'))).toMatchObject({ status: 502, webPage: true })
    expect(await failure(get('text-plain-error'))).toMatchObject({ status: 400, webPage: false })
  })

  it('sends JSON with the content type Vela needs, and the token only in Authorization', async () => {
    const response = await sendRequest(base, {
      method: 'POST',
      path: ['echo'],
      json: { target: 'production' },
      authorization: 'Bearer abc',
      timeoutMs: 5_000,
    })
    const { headers, body } = response.body as { headers: Record<string, string>; body: string }
    expect(headers['content-type']).toBe('application/json')
    expect(headers.authorization).toBe('Bearer abc')
    expect(headers['user-agent']).toMatch(/^vela-deploy-action\//)
    expect(body).toBe('{"target":"production"}')
  })

  it('reads Vela error JSON whatever the content type says', async () => {
    const error = await failure(get('text-plain-error'))
    expect(error).toBeInstanceOf(VelaHttpError)
    expect(error).toMatchObject({ status: 400, serverMessage: 'unable to decode JSON' })
  })

  it('takes the first JSON document when a handler wrote two', async () => {
    expect(await failure(get('two-documents'))).toMatchObject({ status: 401, serverMessage: 'error' })
  })

  it('reads JSON after a byte order mark, so a created deployment is not taken for a broken answer', async () => {
    expect((await get('bom-201')).body).toEqual({ number: 42 })
  })

  it('summarises an HTML page instead of dumping it', async () => {
    const error = (await failure(get('html-502'))) as VelaHttpError
    expect(error.serverMessage).toBeUndefined()
    expect(error.bodySummary).toBe('HTTP 502, text/html, body starts "502 Bad Gateway"')
  })

  it('reads Retry-After', async () => {
    expect(await failure(get('retry-later'))).toMatchObject({ status: 429, retryAfterMs: 7_000 })
  })

  it('does not follow redirects, and names where they pointed', async () => {
    const error = (await failure(get('redirect'))) as BadResponseError
    expect(error).toBeInstanceOf(BadResponseError)
    expect(error.reason).toBe('redirect')
    expect(error.message).toContain('https://elsewhere.example/api')
  })

  it('refuses oversized bodies while streaming them', async () => {
    expect(await failure(get('huge'))).toMatchObject({ reason: 'too-large' })
    expect(await failure(get('declared-huge'))).toMatchObject({ reason: 'too-large' })
  })

  it('reports truncated JSON as malformed', async () => {
    expect(await failure(get('truncated'))).toMatchObject({ reason: 'malformed', status: 200 })
  })

  it('ends a stalled request at its deadline', async () => {
    const started = Date.now()
    const error = await failure(get('stall', 300))
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).failure).toBe('timeout')
    // The stall itself lasts until the server closes.
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('ends a trickling body at the total deadline, not per chunk', async () => {
    const error = await failure(get('trickle', 400))
    expect((error as NetworkError).failure).toBe('timeout')
  })

  it('tells a refused connection, which never reached the server', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const error = (await failure(
      sendRequest(`http://127.0.0.1:${port}`, { method: 'POST', path: ['x'], timeoutMs: 2_000 }),
    )) as NetworkError
    expect(error.failure).toBe('connection-refused')
    expect(error.requestNotSent).toBe(true)
  })

  it('keeps the Authorization header out of error messages', async () => {
    const error = (await failure(
      sendRequest(base, { method: 'GET', path: ['stall'], authorization: 'Bearer s3cret', timeoutMs: 200 }),
    )) as Error
    expect(error.message).not.toContain('s3cret')
  })
})

describe('proxy variables', () => {
  it.each(['proxy.internal:3128', 'http://proxy.internal:3128', 'socks5://proxy.internal:1080', '  '])(
    'accepts %j',
    (value) => {
      expect(() => {
        Connections.fromEnv({ HTTPS_PROXY: value })
      }).not.toThrow()
    },
  )

  it('names the variable that wins, the lower-case one, and never echoes its value', () => {
    const error = (() => {
      try {
        Connections.fromEnv({ http_proxy: 'http://user:pa ss@', HTTP_PROXY: 'http://proxy.internal:3128' })
      } catch (e) {
        return e
      }
      return undefined
    })() as ProxySettingError
    expect(error).toBeInstanceOf(ProxySettingError)
    expect(error.code).toBe('PROXY_SETTING')
    expect(error.variable).toBe('http_proxy')
    expect(error.message).not.toContain('pa ss')
  })

  it('sends through a proxy given without a scheme', async () => {
    const proxy = await startProxy()
    const proxied = Connections.fromEnv({ HTTP_PROXY: new URL(proxy.url).host })
    try {
      expect((await get('ok', 5_000, proxied)).body).toEqual({ a: 1 })
      expect(proxy.seen).toEqual([`GET ${base}/ok`])
    } finally {
      await proxied.close()
      await proxy.close()
    }
  })

  it("tells a proxy's 407 apart: not sent, and not worth sending again", async () => {
    const proxy = await startProxy({}, { credentials: 'u:p' })
    const proxied = Connections.fromEnv({ HTTP_PROXY: proxy.url })
    try {
      const error = (await failure(get('ok', 5_000, proxied))) as NetworkError
      expect(error).toBeInstanceOf(NetworkError)
      expect(error.failure).toBe('proxy-auth')
      expect(error.requestNotSent).toBe(true)
      expect(error.permanent).toBe(true)
    } finally {
      await proxied.close()
      await proxy.close()
    }
  })
})

describe('a proxy that drops the CONNECT of an https address', () => {
  // undici 7 opens the tunnel again and again, ignoring the request's signal (nodejs/undici#3897).
  it.each(['close', 'nothing'] as const)(
    'ends the request by its deadline, asks the proxy once, and knows nothing was sent (it answers %s)',
    async (answer) => {
      const proxy = await startBrokenProxy(answer)
      const proxied = Connections.fromEnv({ HTTPS_PROXY: proxy.url })
      try {
        const started = Date.now()
        const request = { method: 'POST', path: ['x'], timeoutMs: 1_000 } as const
        const error = (await failure(sendRequest('https://127.0.0.1:1', request, proxied))) as NetworkError
        expect(Date.now() - started).toBeLessThan(3_000)
        expect(error).toBeInstanceOf(NetworkError)
        expect(error.failure).toBe('proxy-refused')
        expect(error.requestNotSent).toBe(true)
        expect(error.message).toMatch(
          /^the proxy 127\.0\.0\.1:\d+ \(HTTPS_PROXY\) (closed the connection instead of opening a tunnel to 127\.0\.0\.1:1|opened no tunnel to 127\.0\.0\.1:1 within 1s); nothing was sent$/,
        )
        await delay(200)
        expect(proxy.seen).toEqual(['CONNECT 127.0.0.1:1 HTTP/1.1'])
      } finally {
        await proxied.close()
        await proxy.close()
      }
    },
  )

  it('ends at a cancel, without telling anyone the request was written', async () => {
    const proxy = await startBrokenProxy('nothing')
    const proxied = Connections.fromEnv({ https_proxy: proxy.url })
    const cancel = new AbortController()
    let written = false
    try {
      setTimeout(() => {
        cancel.abort()
      }, 200)
      const request = {
        method: 'POST',
        path: ['x'],
        timeoutMs: 60_000,
        signal: cancel.signal,
        onWritten: () => (written = true),
      } as const
      const started = Date.now()
      const error = await failure(sendRequest('https://127.0.0.1:1', request, proxied))
      expect(Date.now() - started).toBeLessThan(3_000)
      expect(error).toBeInstanceOf(CancelledError)
      expect(written).toBe(false)
    } finally {
      await proxied.close()
      await proxy.close()
    }
  })
})

describe('failures at a proxy name the proxy and its variable', () => {
  it("names a proxy whose name does not resolve, not Vela's host", async () => {
    const proxied = Connections.fromEnv({ https_proxy: 'http://proxy.invalid:3128' })
    try {
      const error = (await failure(
        sendRequest('https://127.0.0.1:1', { method: 'GET', path: ['x'], timeoutMs: 5_000 }, proxied),
      )) as NetworkError
      expect(error.failure).toBe('dns')
      expect(error.requestNotSent).toBe(true)
      expect(error.message).toMatch(
        /^cannot reach the proxy proxy\.invalid:3128 \(https_proxy\): the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)$/,
      )
      expect(error.proxy).toEqual({ variable: 'https_proxy', host: 'proxy.invalid:3128' })
    } finally {
      await proxied.close()
    }
  })

  it('names a proxy that answers the CONNECT with a refusal; nothing was sent', async () => {
    const refusing = createNetServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n'))
    })
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve))
    const host = `127.0.0.1:${(refusing.address() as AddressInfo).port}`
    const proxied = Connections.fromEnv({ HTTPS_PROXY: `http://${host}` })
    try {
      const request = { method: 'POST', path: ['x'], timeoutMs: 5_000 } as const
      const error = (await failure(sendRequest('https://127.0.0.1:1', request, proxied))) as NetworkError
      expect(error.failure).toBe('proxy-refused')
      expect(error.requestNotSent).toBe(true)
      expect(error.message).toMatch(
        new RegExp(
          `^the proxy ${host.replace(/\./g, '\\.')} \\(HTTPS_PROXY\\) refused to connect to 127\\.0\\.0\\.1:1: .*\\(403\\)`,
        ),
      )
    } finally {
      await proxied.close()
      await new Promise((resolve) => refusing.close(resolve))
    }
  })

  it('names a proxy that closes a plain-HTTP request; it may have passed it on', async () => {
    const proxy = await startBrokenProxy('close')
    const proxied = Connections.fromEnv({ HTTP_PROXY: proxy.url })
    try {
      const error = (await failure(get('ok', 5_000, proxied))) as NetworkError
      expect(error.failure).toBe('connection-reset')
      expect(error.requestNotSent).toBe(false)
      expect(error.message).toBe(
        `the proxy ${new URL(proxy.url).host} (HTTP_PROXY) closed the connection before an answer arrived (UND_ERR_SOCKET)`,
      )
      expect(proxy.seen).toEqual([`GET ${base}/ok HTTP/1.1`])
    } finally {
      await proxied.close()
      await proxy.close()
    }
  })

  it('refuses a raw % in the proxy password before anything is sent, without printing it', () => {
    let error: unknown
    try {
      Connections.fromEnv({ HTTP_PROXY: 'http://deployer:50%off@proxy.internal:3128' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ProxySettingError)
    expect((error as Error).message).toBe(
      'The proxy variable HTTP_PROXY has a % in its user name or password that starts no escape such as %40; write a % itself as %25',
    )
    expect((error as Error).message).not.toContain('50%off')
  })
})

describe('a connection that never gets ready', () => {
  it('ends at the deadline of a TLS handshake that never completes, and knows nothing was sent', async () => {
    const silent = await startBrokenProxy('nothing')
    const { port } = new URL(silent.url)
    try {
      const error = (await failure(
        sendRequest(`https://127.0.0.1:${port}`, { method: 'POST', path: ['x'], timeoutMs: 1_000 }),
      )) as NetworkError
      expect(error.failure).toBe('connect-timeout')
      expect(error.requestNotSent).toBe(true)
      expect(error.message).toBe(`cannot reach 127.0.0.1:${port}: no connection within 1s; nothing was sent`)
    } finally {
      await silent.close()
    }
  })

  it('provably sent nothing when reset before TLS was set up', async () => {
    const port = await startResettingPort()
    try {
      const error = (await failure(
        sendRequest(port.url, { method: 'POST', path: ['x'], timeoutMs: 5_000 }),
      )) as NetworkError
      expect(error.failure).toBe('connection-reset')
      expect(error.requestNotSent).toBe(true)
      expect(port.connections()).toBe(1)
    } finally {
      await port.close()
    }
  })
})

describe('buildUrl', () => {
  it('keeps the server path prefix and encodes each segment', () => {
    expect(buildUrl('https://ci.example.com/vela/', ['api', 'v1', 'deployments', 'o', 'r']).href).toBe(
      'https://ci.example.com/vela/api/v1/deployments/o/r',
    )
    expect(buildUrl('https://ci.example.com/vela', ['a b', '?x', '#y', '%2F']).pathname).toBe(
      '/vela/a%20b/%3Fx/%23y/%252F',
    )
  })

  it('refuses segments that would leave the server address', () => {
    expect(() => buildUrl('https://ci.example.com/vela', ['..', 'x'])).toThrow(/refusing/)
    expect(() => buildUrl('https://ci.example.com/vela', ['.'])).toThrow(/refusing/)
    expect(() => buildUrl('https://ci.example.com/vela', ['%2E%2e'])).toThrow(/refusing/)
    expect(() => buildUrl('https://ci.example.com/vela', [''])).toThrow(/refusing/)
  })
})

describe('buildUrl, for any path segments', () => {
  const servers = fc.constantFrom(
    'https://vela.example.com',
    'https://ci.example.com/vela/',
    'http://127.0.0.1:8080/a/b',
  )

  it('stays under the server address and keeps each segment whole, or refuses', () => {
    fc.assert(
      fc.property(
        servers,
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }),
        (server, path) => {
          let url: URL
          try {
            url = buildUrl(server, path)
          } catch {
            return
          }
          const base = new URL(`${server.replace(/\/+$/, '')}/`)
          expect(url.origin).toBe(base.origin)
          expect(url.pathname.startsWith(base.pathname)).toBe(true)
          const segments = url.pathname.slice(base.pathname.length).split('/').map(decodeURIComponent)
          expect(segments).toEqual(path)
        },
      ),
    )
  })

  it('builds every valid org and repo name', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/).filter((n) => n !== '.' && n !== '..')
    fc.assert(
      fc.property(servers, name, name, (server, org, repo) => {
        expect(() => buildUrl(server, ['api', 'v1', 'deployments', org, repo])).not.toThrow()
      }),
    )
  })
})

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-28T12:00:00Z')
    expect(retryAfterMs('30', now)).toBe(30_000)
    expect(retryAfterMs('Sat, 28 Nov 2026 12:00:45 GMT', now)).toBe(45_000)
    expect(retryAfterMs('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs(undefined, now)).toBeUndefined()
  })
})
