import { ActionError, NetworkError, VelaHttpError } from './errors.js'
import type { Authenticator } from './vela/auth.js'

export interface FailureContext {
  org?: string
  repo?: string
  server?: string
  auth?: Authenticator
}

/** One line for `setFailed`: what went wrong, the server's own words, and what it usually means. */
export function describeFailure(error: unknown, context: FailureContext): string {
  const repository = context.org && context.repo ? `${context.org}/${context.repo}` : 'the repository'
  if (error instanceof VelaHttpError) {
    const said = error.serverMessage ?? error.bodySummary ?? 'no message'
    const hint = error.hint ? ` ${error.hint}` : ''
    switch (error.status) {
      case 401: {
        const expired = context.auth?.expiresAt()
        if (context.auth?.kind === 'vela-token' && expired && expired.getTime() <= Date.now()) {
          return `Vela refused the request (401: ${said}): the Vela access token expired at ${expired.toISOString()}. Vela access tokens live about 15 minutes; pass a GitHub personal access token of a Vela user instead, which the action renews as needed`
        }
        return `Vela refused the token (401: ${said}). Either the token is missing, expired or invalid, or its user lacks write access to ${repository} (Vela answers 401, not 403, for both)`
      }
      case 404:
        return `Vela does not know ${repository} (404: ${said}). Enable the repository in Vela, or check the org and repo inputs`
      case 400:
        return `Vela refused the deployment (400: ${said}).${hint}`
      case 500:
        return `Vela failed on its side or GitHub's (500: ${said}). Check that the ref exists and holds a pipeline, and that the Vela user's GitHub login is still valid`
      default:
        return `Vela answered ${error.status} to ${error.method} ${error.path}: ${said}${hint}`
    }
  }
  if (error instanceof NetworkError) {
    return `Could not talk to Vela at ${context.server ?? 'the server'}: ${error.message}`
  }
  if (error instanceof ActionError) return error.message
  const message = error instanceof Error ? error.message : String(error)
  return `Unexpected error: ${message} (turn on step debug logging to see where it happened)`
}
