// Every failure the action reports is one of these classes. Callers branch on `code` (or `instanceof`),
// never on message text, and the message is the one line the user sees.

export abstract class ActionError extends Error {
  abstract readonly code: string
}

/** An input is missing or malformed. Raised before anything is sent. */
export class InputError extends ActionError {
  readonly code = 'INPUT_INVALID'
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(`Input '${input}': ${problem}`)
    this.name = 'InputError'
  }
}

/** Vela answered with a status we do not accept. `serverMessage` is its `{"error": …}` text, when it sent one. */
export class VelaHttpError extends ActionError {
  readonly code = 'VELA_HTTP_STATUS'
  /** What else we learned that helps fix it (e.g. the targets a deployment config allows). */
  hint: string | undefined
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly serverMessage: string | undefined,
    /** For bodies that are not Vela's JSON: status, content type and a short snippet. */
    readonly bodySummary: string | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    const detail = serverMessage ?? bodySummary ?? 'no error message'
    super(`${method} ${path} answered ${status}: ${detail}`)
    this.name = 'VelaHttpError'
  }
}

/** Kinds of transport failure; the first group provably never reached the server. */
export type NetworkFailure =
  | 'connection-refused'
  | 'dns'
  | 'connect-timeout'
  | 'proxy-refused'
  | 'tls'
  | 'connection-reset'
  | 'socket'
  | 'timeout'

const NOT_SENT: ReadonlySet<NetworkFailure> = new Set([
  'connection-refused',
  'dns',
  'connect-timeout',
  'proxy-refused',
])

/** The request failed below HTTP: no status was received. */
export class NetworkError extends ActionError {
  readonly code = 'NETWORK'
  constructor(
    readonly failure: NetworkFailure,
    message: string,
  ) {
    super(message)
    this.name = 'NetworkError'
  }

  /** True when the request cannot have reached the server, so a create may be sent again. */
  get requestNotSent(): boolean {
    return NOT_SENT.has(this.failure)
  }
}

/** The server answered, but not with something we can use (redirect, oversized or malformed body, wrong shape). */
export class BadResponseError extends ActionError {
  readonly code = 'BAD_RESPONSE'
  constructor(
    readonly reason: 'redirect' | 'too-large' | 'malformed' | 'unexpected-shape',
    message: string,
    /** The HTTP status that came with it: a 201 with a broken body still created the deployment. */
    readonly status: number,
  ) {
    super(message)
    this.name = 'BadResponseError'
  }
}

/** The create request may have reached Vela, and we could not confirm whether the deployment exists. */
export class OutcomeUnknownError extends ActionError {
  readonly code = 'OUTCOME_UNKNOWN'
  constructor(message: string) {
    super(message)
    this.name = 'OutcomeUnknownError'
  }
}

/** The workflow was cancelled (SIGINT/SIGTERM) while we were working. */
export class CancelledError extends ActionError {
  readonly code = 'CANCELLED'
  constructor(message = 'cancelled') {
    super(message)
    this.name = 'CancelledError'
  }
}

/** `wait-timeout` passed before the build reached a terminal status. */
export class WaitTimeoutError extends ActionError {
  readonly code = 'WAIT_TIMEOUT'
  constructor(message: string) {
    super(message)
    this.name = 'WaitTimeoutError'
  }
}

/** The build finished with a status other than success. */
export class BuildFailedError extends ActionError {
  readonly code = 'BUILD_FAILED'
  constructor(
    readonly status: string,
    message: string,
  ) {
    super(message)
    this.name = 'BuildFailedError'
  }
}
