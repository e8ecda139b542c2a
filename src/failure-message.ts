import { ActionError } from './errors.js'
import { errorText, safeInline } from './safe-text.js'
import type { Settings } from './settings.js'
import { NetworkError, TokenExchangeError, VelaError, VelaHttpError } from './vela/errors.js'

/**
 * The one line the step fails with: what went wrong, the server's own words, and what it usually means.
 * `settings` is undefined when the inputs themselves could not be read.
 */
export function failureMessage(error: unknown, settings: Settings | undefined, now = Date.now()): string {
  return safeInline(explain(error, settings, now), 'failure')
}

function explain(error: unknown, settings: Settings | undefined, now: number): string {
  const repository = settings ? `${settings.org}/${settings.repo}` : 'the repository'
  if (error instanceof TokenExchangeError) {
    const cause = error.cause
    if (cause instanceof VelaHttpError && cause.status === 401) {
      return `Vela refused the personal access token (401: ${cause.said}): it must be a GitHub personal access token of a Vela user. Nothing was sent to ${repository}`
    }
    return `Could not get a Vela access token for the personal access token, so nothing was sent to ${repository}: ${explain(cause, settings, now)}`
  }
  if (error instanceof VelaHttpError) {
    switch (error.status) {
      case 401: {
        const credential = settings?.credential
        if (
          credential?.kind === 'vela-token' &&
          credential.expiresAt &&
          credential.expiresAt.getTime() <= now
        ) {
          return `Vela refused the request (401: ${error.said}): the Vela access token expired at ${credential.expiresAt.toISOString()}. Vela access tokens live about 15 minutes; pass a GitHub personal access token of a Vela user instead, which the action renews as needed`
        }
        return `Vela refused the token (401: ${error.said}). Either the token is missing, expired or invalid, or its user lacks write access to ${repository} (Vela answers 401, not 403, for both)`
      }
      case 404:
        return `Vela does not know ${repository} (404: ${error.said}). Enable the repository in Vela, or check the org and repo inputs`
      case 500:
        return `Vela failed on its side or GitHub's (500: ${error.said}). Check that the ref exists and holds a pipeline, and that the Vela user's GitHub login is still valid`
      default:
        return `Vela answered ${error.status} to ${error.method} ${error.path}: ${error.said}`
    }
  }
  if (error instanceof NetworkError) {
    return `Could not talk to Vela at ${settings?.server ?? 'the server'}: ${error.message}`
  }
  if (error instanceof ActionError || error instanceof VelaError) return error.message
  return `Unexpected error: ${errorText(error, 'message')} (turn on step debug logging to see where it happened)`
}
