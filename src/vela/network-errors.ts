import { safeInline } from '../shared/safe-text.js'
import { NetworkError, type NetworkFailure } from './errors.js'
import type { ProxyInUse } from './proxy.js'

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

type ErrorLink = { code?: unknown; message?: unknown; port?: unknown }

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

/** Maps an undici/Node error to a NetworkError; never copies request headers into the message. */
export function toNetworkError(error: unknown, url: URL, proxy: ProxyInUse | undefined): NetworkError {
  const chain = causeChain(error)
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : ''))
  const where = url.host
  const tlsCode = codes.find((code) => TLS_EXPLANATIONS[code] !== undefined)
  if (tlsCode !== undefined) {
    return new NetworkError(
      'tls',
      `TLS connection to ${where} failed: ${TLS_EXPLANATIONS[tlsCode]} (${tlsCode})`,
      {
        cause: error,
        tlsCode,
      },
    )
  }
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : '')).join(' ')
  // The proxy answered 407 (to a CONNECT, or to a plain-HTTP request it then did not pass on).
  if (/proxy/i.test(messages) && /\(407\)/.test(messages)) {
    return new NetworkError(
      'proxy-auth',
      `the HTTP proxy requires authentication (407 Proxy Authentication Required) before it passes anything on to ${where}`,
      { cause: error, proxy },
    )
  }
  if (/proxy/i.test(messages) && /(tunnel|!== 200|proxy response)/i.test(messages)) {
    return new NetworkError(
      'proxy-refused',
      `the HTTP proxy refused to connect to ${where}: ${safeInline(messages)}`,
      {
        cause: error,
        proxy,
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
        `cannot reach ${target}: ${DESCRIPTIONS[failure] ?? failure} (${code})`,
        {
          cause: error,
          proxy,
        },
      )
  }
  return new NetworkError('socket', `request to ${where} failed: ${safeInline(messages || String(error))}`, {
    cause: error,
    proxy,
  })
}
