import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import { join } from 'node:path'
import { ROOT } from '../../fake-runner/run-action.js'

// Network pieces a self-hosted runner puts between the action and Vela: a TLS front with a private CA,
// and an HTTP proxy that forwards plain requests and tunnels CONNECT. All on 127.0.0.1.

export const TLS_DIR = join(ROOT, '__tests__', 'fixtures', 'tls')
export const PRIVATE_CA = join(TLS_DIR, 'ca.pem')

export interface Listening {
  url: string
  close(): Promise<void>
}

function track(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => {
        resolve()
      })
    })
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** Forwards one request to `target` (an http:// address) and pipes the answer back. */
function forward(
  target: URL,
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
) {
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => res.destroy())
  req.pipe(upstream)
}

export interface WebUi extends Listening {
  /** Every request it answered, as "METHOD /path". */
  seen: string[]
}

/** A single-page web UI on 127.0.0.1: the same HTML, status 200, whatever is asked. */
export async function startWebUi(): Promise<WebUi> {
  const seen: string[] = []
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`)
    req.resume()
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<!DOCTYPE html><html><head><title>Vela</title></head><body><div id="app"></div></body></html>')
  })
  const close = track(server)
  const port = await listen(server)
  return { url: `http://127.0.0.1:${port}`, seen, close }
}

/** HTTPS on 127.0.0.1 in front of an http:// server, with a certificate from the test CA. */
export async function startTlsFront(
  target: string,
  certificate: 'localhost' | 'wronghost',
): Promise<Listening> {
  const upstream = new URL(target)
  const server = createHttpsServer(
    {
      key: readFileSync(join(TLS_DIR, `${certificate}.key`)),
      cert: readFileSync(join(TLS_DIR, `${certificate}.pem`)),
    },
    (req, res) => {
      forward(upstream, req, res)
    },
  )
  const close = track(server)
  const port = await listen(server)
  return { url: `https://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`, close }
}

export interface Proxy extends Listening {
  /** `CONNECT host:port` tunnels and absolute-form `GET http://…` requests, in order. */
  seen: string[]
}

/**
 * An HTTP proxy: forwards absolute-form requests and tunnels CONNECT, recording both. `hosts` maps names
 * to addresses, for clients that bypass the proxy for loopback addresses. With `credentials`
 * ("user:password"), it answers 407 to every request that does not carry them, as a squid would.
 */
export async function startProxy(
  hosts: Record<string, string> = {},
  options: { credentials?: string } = {},
): Promise<Proxy> {
  const seen: string[] = []
  const expected =
    options.credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(options.credentials).toString('base64')}`
  const authorized = (req: import('node:http').IncomingMessage) =>
    expected === undefined || req.headers['proxy-authorization'] === expected
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`)
    if (!authorized(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="proxy"', 'content-type': 'text/html' })
      res.end('<html><body><h1>407 Proxy Authentication Required</h1></body></html>')
      return
    }
    const target = new URL(req.url ?? '')
    req.url = `${target.pathname}${target.search}`
    forward(target, req, res)
  })
  server.on('connect', (req: import('node:http').IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url ?? ''}`)
    if (!authorized(req)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n',
      )
      return
    }
    const [host = '', port] = (req.url ?? '').split(':')
    const upstream = connect(Number(port), hosts[host] ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  const close = track(server)
  const port = await listen(server)
  return { url: `http://127.0.0.1:${port}`, seen, close }
}

/** A port on 127.0.0.1 where nothing listens: connections are refused. */
export async function closedPort(): Promise<number> {
  const server = createHttpServer()
  const port = await listen(server)
  await new Promise((resolve) => server.close(resolve))
  return port
}

export interface BrokenProxy extends Listening {
  /** The first line of every request it received (`CONNECT host:port HTTP/1.1`, `GET http://… HTTP/1.1`). */
  seen: string[]
}

/**
 * A proxy that takes the TCP connection and then drops every request: it closes the connection on the
 * request (`close`), or never answers (`nothing`). A CONNECT it drops means no tunnel ever opened.
 */
export async function startBrokenProxy(answer: 'close' | 'nothing'): Promise<BrokenProxy> {
  const seen: string[] = []
  const server = createNetServer((socket) => {
    socket.on('error', () => undefined)
    socket.once('data', (data: Buffer) => {
      seen.push(data.toString('latin1').split('\r\n')[0] ?? '')
      if (answer === 'close') socket.destroy()
    })
  })
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => {
        resolve()
      })
    })
  return { url: `http://127.0.0.1:${port}`, seen, close }
}

/** A TLS port that takes the TCP connection and resets it before the handshake: nothing can be sent. */
export async function startResettingPort(): Promise<Listening & { connections: () => number }> {
  let connections = 0
  const server = createNetServer((socket) => {
    connections++
    socket.on('error', () => undefined)
    socket.resetAndDestroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
      }),
  }
}
