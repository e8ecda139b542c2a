import { EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { formatDuration } from '../shared/duration.js'
import { safeInline } from '../shared/safe-text.js'
import { ACTION_VERSION } from '../shared/version.js'
import {
  BadResponseError,
  CancelledError,
  NetworkError,
  NotVelaApiError,
  ProxySettingError,
  VelaHttpError,
  type NetworkFailure,
} from './errors.js'

/** Responses larger than this are refused while streaming, so memory stays bounded. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

export type Query = Record<string, string | number | undefined>

export interface VelaRequest {
  method: 'GET' | 'POST' | 'DELETE'
  /** Path segments below the server address; each is percent-encoded as one segment. */
  path: readonly string[]
  query?: Query
  /** Sent as JSON with `Content-Type: application/json`, which Vela's binding requires. */
  json?: unknown
  /** Extra headers (the token exchange sends `Token`). */
  headers?: Record<string, string>
  /** `Authorization` header value; omitted for unauthenticated calls. */
  authorization?: string
  /** Total deadline for this request, from connect to the last body byte. */
  timeoutMs: number
  /** Aborts the request when the workflow is cancelled. */
  signal?: AbortSignal
}

export interface VelaResponse {
  status: number
  /** The parsed JSON body. */
  body: unknown
  /** The body as received, for outputs that hand it on unchanged. */
  text: string
}

/** Builds `{server}/{segments}` and checks that the result still lies under the server address. */
export function buildUrl(server: string, path: readonly string[], query: Query = {}): URL {
  const base = new URL(`${server.replace(/\/+$/, '')}/`)
  // URL parsing resolves '.' and '..' (even percent-encoded), so they can never be one path segment.
  const unsafe = path.find((segment) => segment === '' || /^(\.|%2e){1,2}$/i.test(segment))
  if (unsafe !== undefined)
    throw new Error(`refusing to send a request with the path segment ${JSON.stringify(unsafe)}`)
  const url = new URL(path.map((segment) => encodeURIComponent(segment)).join('/'), base)
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new Error(`refusing to send a request outside ${base.href}: ${url.href}`)
  }
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value))
  }
  return url
}

let sharedDispatcher: Dispatcher | undefined

/** The schemes undici's proxy agent speaks. */
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:', 'socks:'])

/**
 * A proxy variable as the proxy agent needs it. Like curl, an address without a scheme
 * (`proxy.internal:3128`, as many runners set it) is taken as http://; the agent would read
 * `proxy.internal:` as the scheme, or fail on every request.
 */
function proxyAddress(env: NodeJS.ProcessEnv, names: readonly [string, string]): string | undefined {
  // The lower-case name wins, as in the agent itself.
  const name = names.find((n) => env[n] !== undefined)
  const value = name === undefined ? undefined : env[name]?.trim()
  if (name === undefined || !value) return value
  const address = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  let url: URL | undefined
  try {
    url = new URL(address)
  } catch {
    url = undefined
  }
  // Never echoes the value: it may hold the proxy's password.
  if (!url?.hostname || !PROXY_SCHEMES.has(url.protocol)) {
    throw new ProxySettingError(
      name,
      'is not a proxy address; expected http://host:port (user:password@ before the host if the proxy asks for it)',
    )
  }
  return address
}

/**
 * Checks the proxy variables and builds the connection pool, before anything is sent: a broken proxy
 * variable is a ProxySettingError naming it, not a request that may or may not have gone out.
 */
export function useProxySettings(env: NodeJS.ProcessEnv = process.env): void {
  const httpProxy = proxyAddress(env, ['http_proxy', 'HTTP_PROXY'])
  const httpsProxy = proxyAddress(env, ['https_proxy', 'HTTPS_PROXY'])
  sharedDispatcher = new EnvHttpProxyAgent({ proxyTunnel: false, httpProxy, httpsProxy })
}

/**
 * One connection pool for the whole run; honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case.
 * HTTPS goes through a CONNECT tunnel; plain HTTP is sent to the proxy as an absolute-form request, as
 * curl does, since some proxies refuse CONNECT to port 80.
 */
function dispatcher(): Dispatcher {
  if (sharedDispatcher === undefined) useProxySettings()
  return sharedDispatcher as Dispatcher
}

/** Closes idle connections so the process can exit at once. */
export async function closeConnections(): Promise<void> {
  const current = sharedDispatcher
  sharedDispatcher = undefined
  await current?.destroy()
}

/** A request exactly as it goes on the wire: what `sendRequest` sends, and what a dry run shows. */
export interface PreparedRequest {
  method: VelaRequest['method']
  url: URL
  headers: Record<string, string>
  body: string | undefined
}

export function prepareRequest(
  server: string,
  req: Omit<VelaRequest, 'timeoutMs' | 'signal'>,
): PreparedRequest {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': `vela-deploy-action/${ACTION_VERSION}`,
    ...req.headers,
  }
  if (req.authorization) headers.authorization = req.authorization
  let body: string | undefined
  if (req.json !== undefined) {
    body = JSON.stringify(req.json)
    headers['content-type'] = 'application/json'
  }
  return { method: req.method, url: buildUrl(server, req.path, req.query), headers, body }
}

/** Sends one request to Vela. No retries here: callers decide, because a create must never be sent twice. */
export async function sendRequest(server: string, req: VelaRequest): Promise<VelaResponse> {
  const { url, headers, body } = prepareRequest(server, req)
  const timeout = AbortSignal.timeout(req.timeoutMs)
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout
  const describe = `${req.method} ${url.pathname}`

  try {
    const response = await dispatcher().request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers,
      body,
      signal,
    })
    const text = await readCapped(response, describe)
    const status = response.statusCode
    if (status >= 300 && status < 400) {
      const location = headerValue(response.headers, 'location')
      throw new BadResponseError(
        'redirect',
        `${describe} answered ${status} redirecting to ${location ? safeInline(location) : 'an unnamed address'}; redirects are not followed so the token never leaves the configured server. Point the server input at the final address`,
        status,
      )
    }
    const parsed = parseBody(text)
    const contentType = headerValue(response.headers, 'content-type')
    const webPage = parsed === undefined && isWebPage(contentType, text)
    if (status < 200 || status >= 300) {
      const message = serverMessage(parsed)
      throw new VelaHttpError({
        method: req.method,
        path: url.pathname,
        status,
        serverMessage: message,
        bodySummary: message === undefined ? summarizeBody(status, contentType, text) : undefined,
        webPage,
        retryAfterMs: retryAfterMs(headerValue(response.headers, 'retry-after')),
      })
    }
    if (webPage) {
      throw new NotVelaApiError(req.method, url.pathname, status, summarizeBody(status, contentType, text))
    }
    if (parsed === undefined) {
      throw new BadResponseError(
        'malformed',
        `${describe} answered ${status} with a body that is not JSON (${summarizeBody(status, contentType, text)})`,
        status,
      )
    }
    return { status, body: parsed, text }
  } catch (error) {
    if (
      error instanceof VelaHttpError ||
      error instanceof BadResponseError ||
      error instanceof NotVelaApiError
    )
      throw error
    if (req.signal?.aborted && !timeout.aborted) throw new CancelledError('cancelled', { cause: error })
    if (timeout.aborted) {
      throw new NetworkError(
        'timeout',
        `${describe} got no complete answer within ${formatDuration(req.timeoutMs)}`,
        { cause: error },
      )
    }
    throw toNetworkError(error, url)
  }
}

async function readCapped(response: Dispatcher.ResponseData, describe: string): Promise<string> {
  const declared = Number(headerValue(response.headers, 'content-length'))
  const tooLarge = () =>
    new BadResponseError(
      'too-large',
      `${describe} answered with more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; refusing to read it`,
      response.statusCode,
    )
  if (declared > MAX_RESPONSE_BYTES) {
    response.body.destroy()
    throw tooLarge()
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_RESPONSE_BYTES) {
      response.body.destroy()
      throw tooLarge()
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Parses a JSON body whatever its Content-Type says (Vela sends some errors as text/plain). Some Vela
 * handlers write an error and then a second JSON document into the same body; the first one counts.
 */
function parseBody(body: string): unknown {
  // A byte order mark is not JSON, but some proxies and servers put one before it.
  const text = body.startsWith('\uFEFF') ? body.slice(1) : body
  try {
    return JSON.parse(text)
  } catch {
    const end = endOfLeadingObject(text)
    if (end === undefined) return undefined
    try {
      return JSON.parse(text.slice(0, end))
    } catch {
      return undefined
    }
  }
}

function endOfLeadingObject(text: string): number | undefined {
  const start = text.search(/\S/)
  if (start < 0 || text[start] !== '{') return undefined
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
    } else if (ch === '"') inString = true
    else if (ch === '{' || ch === '[') depth++
    else if (ch === '}' || ch === ']') {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return undefined
}

function serverMessage(parsed: unknown): string | undefined {
  if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
    const message = parsed.error
    if (typeof message === 'string' && message !== '') return safeInline(message, 'message')
  }
  return undefined
}

/** Whether a body is a web page: Vela's API answers only JSON (or plain text that holds JSON). */
function isWebPage(contentType: string | undefined, text: string): boolean {
  return /html/i.test(contentType ?? '') || /^\s*</.test(text)
}

/** A short description of a body that is not Vela's JSON (an HTML page from a proxy, say). */
export function summarizeBody(status: number, contentType: string | undefined, text: string): string {
  const readable = isWebPage(contentType, text)
    ? text
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&[a-z]+;/gi, ' ')
    : text
  const snippet = safeInline(readable.replace(/\s+/g, ' '), 'short')
  return `HTTP ${status}, ${contentType ? safeInline(contentType, 'short') : 'no content type'}, ${snippet === '' ? 'empty body' : `body starts "${snippet}"`}`
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const FAILURES: Record<string, NetworkFailure> = {
  ECONNREFUSED: 'connection-refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  UND_ERR_SOCKET: 'connection-reset',
  UND_ERR_CLOSED: 'connection-reset',
}

const TLS_EXPLANATIONS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not signed by a trusted authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is not signed by a trusted authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in an untrusted (self-signed) authority',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it presents a self-signed certificate',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is not valid for this host name',
}

const PRIVATE_CA_HINT =
  '; if the server uses a private certificate authority, set NODE_EXTRA_CA_CERTS to its PEM file in the step env'

/** Maps an undici/Node error to a NetworkError; never copies request headers into the message. */
function toNetworkError(error: unknown, url: URL): NetworkError {
  const chain: Array<{ code?: unknown; message?: unknown; port?: unknown }> = []
  for (
    let e: unknown = error;
    typeof e === 'object' && e !== null && chain.length < 5;
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e)
  }
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : ''))
  const where = url.host
  for (const code of codes) {
    const tls = TLS_EXPLANATIONS[code]
    if (tls) {
      return new NetworkError(
        'tls',
        `TLS connection to ${where} failed: ${tls} (${code})${code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? '; check the host name in the server input' : PRIVATE_CA_HINT}`,
        { cause: error },
      )
    }
  }
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : '')).join(' ')
  // The proxy answered 407 (to a CONNECT, or to a plain-HTTP request it then did not pass on).
  if (/proxy/i.test(messages) && /\(407\)/.test(messages)) {
    return new NetworkError(
      'proxy-auth',
      `the HTTP proxy requires authentication (407 Proxy Authentication Required) before it passes anything on to ${where}: put its user and password in the proxy variable, as http://user:password@host:port`,
      { cause: error },
    )
  }
  if (/proxy/i.test(messages) && /(tunnel|!== 200|proxy response)/i.test(messages)) {
    return new NetworkError(
      'proxy-refused',
      `the HTTP proxy refused to connect to ${where}: ${safeInline(messages)}`,
      {
        cause: error,
      },
    )
  }
  // A connection error names the port it tried; another port than the server's means a proxy was in the way.
  const triedPort = chain.map((e) => e.port).find((port): port is number => typeof port === 'number')
  const serverPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  const target =
    triedPort !== undefined && triedPort !== serverPort ? `the proxy for ${where} (port ${triedPort})` : where
  for (const code of codes) {
    const failure = FAILURES[code]
    if (failure)
      return new NetworkError(
        failure,
        `cannot reach ${target}: ${describeNetworkFailure(failure)} (${code})`,
        {
          cause: error,
        },
      )
  }
  return new NetworkError('socket', `request to ${where} failed: ${safeInline(messages || String(error))}`, {
    cause: error,
  })
}

function describeNetworkFailure(failure: NetworkFailure): string {
  switch (failure) {
    case 'connection-refused':
      return 'connection refused'
    case 'dns':
      return 'the host name does not resolve'
    case 'connect-timeout':
      return 'connecting timed out'
    case 'connection-reset':
      return 'the connection was closed before an answer arrived'
    default:
      return failure
  }
}
