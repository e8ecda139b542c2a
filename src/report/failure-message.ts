import { ActionError } from '../shared/errors.js'
import { errorText, safeInline } from '../shared/safe-text.js'
import type { Settings } from '../inputs/settings.js'
import {
  BadResponseError,
  NetworkError,
  NotVelaApiError,
  TokenExchangeError,
  VelaError,
  VelaHttpError,
} from '../vela/errors.js'

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
  if (error instanceof NotVelaApiError) {
    return `${settings?.server ?? 'The server'} is not the Vela API: ${error.method} ${error.path} answered ${error.status} with a web page (${error.bodySummary}). Set the server input to the address of Vela's API (the one the Vela CLI uses), not the web UI`
  }
  if (error instanceof VelaHttpError) {
    // Only Vela's own JSON error speaks for Vela; a page or a bare 404 came from whatever answers there.
    if (error.status === 404 && error.serverMessage === undefined) {
      return `${settings?.server ?? 'The server'} has no Vela API at ${error.path} (${error.said}). Check the server input: Vela's API address (the one the Vela CLI uses) with any path prefix, not the web UI`
    }
    if (error.webPage) {
      return `A proxy, gateway or web server in front of Vela answered ${error.status} to ${error.method} ${error.path}, not Vela (${error.said}). Check the server input and the network between the runner and Vela`
    }
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
      case 404: {
        const build = /\/builds\/(\d+)$/.exec(error.path)?.[1]
        // Vela names what it could not read: the repository, or (once the repository is found) the build.
        if (build !== undefined && !/\brepo\b/i.test(error.said)) {
          return `Vela no longer has build #${build} of ${repository} (404: ${error.said}): it was deleted while the action was following it`
        }
        return `Vela does not know ${repository} (404: ${error.said}). Enable the repository in Vela, or check the org and repo inputs`
      }
      case 500:
        return `Vela failed on its side or GitHub's (500: ${error.said}). Check that the ref exists and holds a pipeline, and that the Vela user's GitHub login is still valid`
      default:
        return `Vela answered ${error.status} to ${error.method} ${error.path}: ${error.said}`
    }
  }
  if (error instanceof NetworkError) {
    return `Could not talk to Vela at ${settings?.server ?? 'the server'}: ${error.message}${whatToFix(error)}`
  }
  if (error instanceof BadResponseError && error.reason === 'redirect') {
    return `${error.message}. Point the server input at the final address`
  }
  if (error instanceof ActionError || error instanceof VelaError) return error.message
  return `Unexpected error: ${errorText(error, 'message')} (turn on step debug logging to see where it happened)`
}

/** The Vela client says what failed on the wire; the action knows which input or variable sets it. */
function whatToFix(error: NetworkError): string {
  switch (error.failure) {
    case 'tls':
      return error.tlsCode === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? '; check the host name in the server input'
        : '; if the server uses a private certificate authority, set NODE_EXTRA_CA_CERTS to its PEM file in the step env'
    case 'proxy-auth':
      return `: put its user and password in ${error.proxy?.variable ?? 'the proxy variable'}, as http://user:password@host:port`
    default:
      return ''
  }
}
