// What a request to GitHub failed with. Never fatal: the deploy has succeeded by then.

/** GitHub answered with an HTTP error; `status` says which. */
export class GitHubHttpError extends Error {
  readonly code = 'GITHUB_HTTP'
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'GitHubHttpError'
  }
}

/** A request to GitHub did not end within the request timeout. */
export class GitHubTimeoutError extends Error {
  readonly code = 'GITHUB_TIMEOUT'
  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(`GitHub did not answer within ${timeoutMs / 1_000}s`, options)
    this.name = 'GitHubTimeoutError'
  }
}
