import type { ProxyInUse } from './proxy.js'

// What a call to Vela can fail with. Callers branch on `code` (or `instanceof`), never on message text.
// Each message is one line that is safe to print: server text in it has been through safeInline.

export abstract class VelaError extends Error {
  abstract readonly code: string
}

export interface HttpErrorDetails {
  method: string
  /** The path that was requested (no query string, no host). */
  path: string
  status: number
  /** The `{"error": …}` text of Vela's own JSON error, when the body was one. */
  serverMessage?: string
  /** For bodies that are not Vela's JSON (a proxy's HTML page, say): status, content type and a snippet. */
  bodySummary?: string
  /** The body was a web page: a proxy, gateway or web server answered, never Vela's API. */
  webPage?: boolean
  /** The server's `Retry-After`, in milliseconds from when it answered. */
  retryAfterMs?: number
}

/** Vela (or something in front of it) answered with a status outside 2xx. */
export class VelaHttpError extends VelaError {
  readonly code = 'VELA_HTTP_STATUS'
  readonly method: string
  readonly path: string
  readonly status: number
  readonly serverMessage: string | undefined
  readonly bodySummary: string | undefined
  readonly webPage: boolean
  readonly retryAfterMs: number | undefined

  constructor(details: HttpErrorDetails) {
    super(
      `${details.method} ${details.path} answered ${details.status}: ${details.serverMessage ?? details.bodySummary ?? 'no error message'}`,
    )
    this.name = 'VelaHttpError'
    this.method = details.method
    this.path = details.path
    this.status = details.status
    this.serverMessage = details.serverMessage
    this.bodySummary = details.bodySummary
    this.webPage = details.webPage ?? false
    this.retryAfterMs = details.retryAfterMs
  }

  /** What the server said: its own message, else a description of the body. */
  get said(): string {
    return this.serverMessage ?? this.bodySummary ?? 'no message'
  }
}

/** Kinds of transport failure; the first group provably never reached the server, whenever they happen. */
export type NetworkFailure =
  | 'connection-refused'
  | 'dns'
  | 'connect-timeout'
  | 'proxy-refused'
  | 'proxy-auth'
  | 'tls'
  | 'connection-reset'
  | 'socket'
  | 'timeout'

const NOT_SENT: ReadonlySet<NetworkFailure> = new Set([
  'connection-refused',
  'dns',
  'connect-timeout',
  'proxy-refused',
  'proxy-auth',
])

/** Failures that sending again cannot mend: the certificate, or the proxy's credentials, must change. */
const PERMANENT: ReadonlySet<NetworkFailure> = new Set(['tls', 'proxy-auth'])

export interface NetworkErrorOptions extends ErrorOptions {
  /** The proxy the request went through, so the action can name the variable that set it. */
  proxy?: ProxyInUse
  /** For a TLS failure, Node's code for it (e.g. ERR_TLS_CERT_ALTNAME_INVALID). */
  tlsCode?: string
  /** Whether the request was handed to a connection; false proves it never left, whatever the failure. */
  written?: boolean
}

/** The request failed below HTTP: no status was received. */
export class NetworkError extends VelaError {
  readonly code = 'NETWORK'
  readonly proxy: ProxyInUse | undefined
  readonly tlsCode: string | undefined
  readonly written: boolean | undefined
  constructor(
    readonly failure: NetworkFailure,
    message: string,
    options: NetworkErrorOptions = {},
  ) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined)
    this.name = 'NetworkError'
    this.proxy = options.proxy
    this.tlsCode = options.tlsCode
    this.written = options.written
  }

  /** True when the request cannot have reached the server, so a create may be sent again. */
  get requestNotSent(): boolean {
    return this.written === false || NOT_SENT.has(this.failure)
  }

  /** True when another attempt would fail the same way. */
  get permanent(): boolean {
    return PERMANENT.has(this.failure)
  }
}

/** A proxy variable (HTTPS_PROXY and the like) holds no usable address. Raised before anything is sent. */
export class ProxySettingError extends VelaError {
  readonly code = 'PROXY_SETTING'
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`The proxy variable ${variable} ${problem}`)
    this.name = 'ProxySettingError'
  }
}

type BadResponseReason = 'redirect' | 'too-large' | 'malformed' | 'unexpected-shape'

/** The server answered, but not with something we can use (redirect, oversized or malformed body, wrong shape). */
export class BadResponseError extends VelaError {
  readonly code = 'BAD_RESPONSE'
  constructor(
    readonly reason: BadResponseReason,
    message: string,
    /** The HTTP status that came with it: a 201 with a broken body still created the deployment. */
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'BadResponseError'
  }
}

/**
 * A success status with a web page instead of JSON: the address serves a web UI (or a portal), not Vela's
 * API, so nothing reached Vela and asking again cannot help.
 */
export class NotVelaApiError extends VelaError {
  readonly code = 'NOT_VELA_API'
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly bodySummary: string,
  ) {
    super(
      `${method} ${path} answered ${status} with a web page, not Vela's JSON (${bodySummary}): this address is not the Vela API`,
    )
    this.name = 'NotVelaApiError'
  }
}

/** The caller's signal fired (the workflow was cancelled) before the call or sleep finished. */
export class CancelledError extends VelaError {
  readonly code = 'CANCELLED'
  constructor(message = 'cancelled', options?: ErrorOptions) {
    super(message, options)
    this.name = 'CancelledError'
  }
}

/**
 * Exchanging the personal access token for a Vela access token failed, so the request that needed it was
 * never sent. `cause` is what the exchange failed with.
 */
export class TokenExchangeError extends VelaError {
  readonly code = 'TOKEN_EXCHANGE'
  constructor(cause: unknown) {
    super(
      `Could not exchange the personal access token for a Vela access token: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    )
    this.name = 'TokenExchangeError'
  }
}
