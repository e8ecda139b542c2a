import { formatDuration } from '../shared/duration.js'
import { safeInline } from '../shared/safe-text.js'
import { NetworkError, type NetworkFailure } from './errors.js'
import { TunnelNotOpenedError, type ProxyInUse } from './proxy.js'

// Names what went wrong below HTTP, from the error codes undici and Node give. The messages speak of the
// connection only; which setting to change is for the caller to say.

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

const DESCRIPTIONS: Partial<Record<NetworkFailure, string>> = {
  'connection-refused': 'connection refused',
  dns: 'the host name does not resolve',
  'connect-timeout': 'connecting timed out',
  'connection-reset': 'the connection was closed before an answer arrived',
}

type ErrorLink = { code?: unknown; message?: unknown }

/** The error and its causes, outermost first. */
function causeChain(error: unknown): ErrorLink[] {
  const chain: ErrorLink[] = []
  for (
    let e: unknown = error;
    typeof e === 'object' && e !== null && chain.length < 5;
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e)
  }
  return chain
}

/** What the failing request was, and how it went: the proxy it went through, whether it left. */
export interface FailedRequest {
  method: string
  url: URL
  proxy: ProxyInUse | undefined
  /** Whether undici handed it to a connection; until then it provably never left. */
  written: boolean
}

const theProxy = (proxy: ProxyInUse) => `the proxy ${proxy.host} (${proxy.variable})`

/** Maps an undici/Node error to a NetworkError; never copies request headers into the message. */
export function toNetworkError(error: unknown, request: FailedRequest): NetworkError {
  const { url, proxy, written } = request
  const chain = causeChain(error)
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : ''))
  const where = url.host
  const options = { cause: error, proxy, written }
  const tlsCode = codes.find((code) => TLS_EXPLANATIONS[code] !== undefined)
  if (tlsCode !== undefined) {
    const explanation = TLS_EXPLANATIONS[tlsCode] ?? tlsCode
    return new NetworkError('tls', `TLS connection to ${where} failed: ${explanation} (${tlsCode})`, {
      ...options,
      tlsCode,
    })
  }
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : '')).join(' ')
  const proxyNamed = proxy ? theProxy(proxy) : 'the HTTP proxy'
  // The proxy answered 407 (to a CONNECT, or to a plain-HTTP request it then did not pass on).
  if (/proxy/i.test(messages) && /\(407\)/.test(messages)) {
    const message = `${proxyNamed} requires authentication (407 Proxy Authentication Required) before it passes anything on to ${where}`
    return new NetworkError('proxy-auth', message, options)
  }
  if (/proxy/i.test(messages) && /(!== 200|proxy response)/i.test(messages)) {
    const message = `${proxyNamed} refused to connect to ${where}: ${safeInline(messages)}`
    return new NetworkError('proxy-refused', message, options)
  }
  const code = codes.find((c) => FAILURES[c] !== undefined)
  const failure = code === undefined ? undefined : FAILURES[code]
  const tunnelFailed = chain.some((e) => e instanceof TunnelNotOpenedError)
  if (proxy && tunnelFailed && (failure === undefined || failure === 'connection-reset')) {
    const message = `${theProxy(proxy)} closed the connection instead of opening a tunnel to ${where}; nothing was sent`
    return new NetworkError('proxy-refused', message, options)
  }
  // Through a proxy, the only connection this process opens is to the proxy.
  const subject = proxy ? theProxy(proxy) : where
  if (failure === 'connection-reset' && proxy) {
    const message = `${subject} closed the connection before an answer arrived (${code ?? ''})`
    return new NetworkError(failure, message, options)
  }
  if (failure !== undefined) {
    const message = `cannot reach ${subject}: ${DESCRIPTIONS[failure] ?? failure} (${code ?? ''})`
    return new NetworkError(failure, message, options)
  }
  const message = `request to ${where}${proxy ? ` through ${theProxy(proxy)}` : ''} failed: ${safeInline(messages || String(error))}`
  return new NetworkError('socket', message, options)
}

/** The request's deadline passed: before it was written, it is named for the connection that never came. */
export function deadlinePassed(request: FailedRequest, timeoutMs: number, cause: unknown): NetworkError {
  const { method, url, proxy, written } = request
  const within = formatDuration(timeoutMs)
  const options = { cause, proxy, written }
  if (written) {
    return new NetworkError(
      'timeout',
      `${method} ${url.pathname} got no complete answer within ${within}`,
      options,
    )
  }
  if (proxy && url.protocol === 'https:') {
    const message = `${theProxy(proxy)} opened no tunnel to ${url.host} within ${within}; nothing was sent`
    return new NetworkError('proxy-refused', message, options)
  }
  const message = `cannot reach ${proxy ? theProxy(proxy) : url.host}: no connection within ${within}; nothing was sent`
  return new NetworkError('connect-timeout', message, options)
}
