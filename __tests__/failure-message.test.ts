import { describe, expect, it } from '@jest/globals'
import {
  BuildFailedError,
  DeploymentRefusedError,
  InputError,
  OutcomeUnknownError,
  WaitTimeoutError,
} from '../src/shared/errors.js'
import { failureMessage } from '../src/report/failure-message.js'
import type { Settings } from '../src/inputs/settings.js'
import {
  BadResponseError,
  CancelledError,
  NetworkError,
  NotVelaApiError,
  TokenExchangeError,
  VelaHttpError,
  type HttpErrorDetails,
} from '../src/vela/errors.js'
import { EXAMPLE_VELA_TOKEN, exampleSettings } from './support/example-settings.js'

// The one line the step fails with. Each case is an error as the Vela client or the action raises it.

const NOW = Date.parse('2026-03-01T12:00:00Z')
const CREATE = { method: 'POST', path: '/api/v1/deployments/octo-org/app' }
const http = (status: number, details: Partial<HttpErrorDetails> = {}) =>
  new VelaHttpError({ ...CREATE, status, ...details })

const withVelaToken = (expiresAt: Date | undefined): Settings =>
  exampleSettings({
    credential: { kind: 'vela-token', token: EXAMPLE_VELA_TOKEN, user: 'octocat', expiresAt },
  })
const withPat = exampleSettings({ credential: { kind: 'personal-access-token', token: 'ghp_x' } })

describe('failureMessage for a 401', () => {
  it.each([
    { name: 'expired a minute ago', expiresAt: new Date(NOW - 60_000) },
    { name: 'expiring this very moment', expiresAt: new Date(NOW) },
  ])('names the expiry of a Vela access token $name', ({ expiresAt }) => {
    const message = failureMessage(
      http(401, { serverMessage: 'token is expired' }),
      withVelaToken(expiresAt),
      NOW,
    )
    expect(message).toBe(
      `Vela refused the request (401: token is expired): the Vela access token expired at ${expiresAt.toISOString()}. Vela access tokens live about 15 minutes; pass a GitHub personal access token of a Vela user instead, which the action renews as needed`,
    )
  })

  it.each([
    { name: 'a Vela access token that has not expired', settings: withVelaToken(new Date(NOW + 60_000)) },
    { name: 'a Vela access token without an expiry', settings: withVelaToken(undefined) },
    { name: 'a personal access token', settings: withPat },
  ])('says the token was refused, or lacks write access, for $name', ({ settings }) => {
    const message = failureMessage(http(401, { serverMessage: 'unable to parse token' }), settings, NOW)
    expect(message).toBe(
      'Vela refused the token (401: unable to parse token). Either the token is missing, expired or invalid, or its user lacks write access to octo-org/app (Vela answers 401, not 403, for both)',
    )
  })

  it('says "the repository" when the inputs could not be read', () => {
    const message = failureMessage(
      http(401, { bodySummary: 'HTTP 401, no content type, empty body' }),
      undefined,
      NOW,
    )
    expect(message).toBe(
      'Vela refused the token (401: HTTP 401, no content type, empty body). Either the token is missing, expired or invalid, or its user lacks write access to the repository (Vela answers 401, not 403, for both)',
    )
  })
})

describe('failureMessage for other statuses', () => {
  it('tells how to enable the repository after a 404', () => {
    const error = http(404, { serverMessage: 'unable to read repo octo-org/app: record not found' })
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(
      'Vela does not know octo-org/app (404: unable to read repo octo-org/app: record not found). Enable the repository in Vela, or check the org and repo inputs',
    )
    expect(failureMessage(error, undefined, NOW)).toMatch(/^Vela does not know the repository \(404: /)
  })

  it('points at the ref, the pipeline and the GitHub login after a 500', () => {
    const error = http(500, {
      serverMessage: 'unable to get deployment config for octo-org/app: unable to get pipeline configuration',
    })
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(
      "Vela failed on its side or GitHub's (500: unable to get deployment config for octo-org/app: unable to get pipeline configuration). Check that the ref exists and holds a pipeline, and that the Vela user's GitHub login is still valid",
    )
  })

  it.each([
    { status: 403, details: { serverMessage: 'forbidden' }, said: 'forbidden' },
    {
      status: 502,
      details: { bodySummary: 'HTTP 502, text/html, body starts "Bad Gateway"' },
      said: 'HTTP 502, text/html, body starts "Bad Gateway"',
    },
    { status: 429, details: {}, said: 'no message' },
  ])('names the method and path for $status', ({ status, details, said }) => {
    const error = new VelaHttpError({
      method: 'GET',
      path: '/api/v1/repos/octo-org/app/builds/7',
      status,
      ...details,
    })
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(
      `Vela answered ${status} to GET /api/v1/repos/octo-org/app/builds/7: ${said}`,
    )
  })
})

describe('failureMessage for network failures', () => {
  const error = new NetworkError(
    'connection-refused',
    'cannot reach vela.example.com: connection refused (ECONNREFUSED)',
  )

  it('names the server', () => {
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(
      'Could not talk to Vela at https://vela.example.com: cannot reach vela.example.com: connection refused (ECONNREFUSED)',
    )
  })

  it('says "the server" when the inputs could not be read', () => {
    expect(failureMessage(error, undefined, NOW)).toBe(
      'Could not talk to Vela at the server: cannot reach vela.example.com: connection refused (ECONNREFUSED)',
    )
  })
})

describe('failureMessage adds which setting to change to what the Vela client saw', () => {
  it.each([
    {
      name: 'an untrusted certificate',
      error: new NetworkError(
        'tls',
        'TLS connection to vela.example.com failed: its certificate has expired (CERT_HAS_EXPIRED)',
        {
          tlsCode: 'CERT_HAS_EXPIRED',
        },
      ),
      line: 'Could not talk to Vela at https://vela.example.com: TLS connection to vela.example.com failed: its certificate has expired (CERT_HAS_EXPIRED); if the server uses a private certificate authority, set NODE_EXTRA_CA_CERTS to its PEM file in the step env',
    },
    {
      name: 'a certificate for another host name',
      error: new NetworkError(
        'tls',
        'TLS connection to vela.example.com failed: its certificate is not valid for this host name (ERR_TLS_CERT_ALTNAME_INVALID)',
        {
          tlsCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
        },
      ),
      line: 'Could not talk to Vela at https://vela.example.com: TLS connection to vela.example.com failed: its certificate is not valid for this host name (ERR_TLS_CERT_ALTNAME_INVALID); check the host name in the server input',
    },
    {
      name: "a proxy's 407",
      error: new NetworkError(
        'proxy-auth',
        'the HTTP proxy requires authentication (407 Proxy Authentication Required) before it passes anything on to vela.example.com',
        {
          proxy: { variable: 'https_proxy', host: 'proxy.internal:3128' },
        },
      ),
      line: 'Could not talk to Vela at https://vela.example.com: the HTTP proxy requires authentication (407 Proxy Authentication Required) before it passes anything on to vela.example.com: put its user and password in https_proxy, as http://user:password@host:port',
    },
    {
      name: 'a redirect',
      error: new BadResponseError(
        'redirect',
        'POST /api/v1/deployments/octo-org/app answered 302 redirecting to https://elsewhere.example/api; redirects are not followed so the token never leaves the configured server',
        302,
      ),
      line: 'POST /api/v1/deployments/octo-org/app answered 302 redirecting to https://elsewhere.example/api; redirects are not followed so the token never leaves the configured server. Point the server input at the final address',
    },
  ])('$name', ({ error, line }) => {
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(line)
  })
})

describe("failureMessage for the action's own failures and other Vela errors", () => {
  it.each([
    { error: new InputError('wait-timeout', 'expected a duration such as 90s'), code: 'INPUT_INVALID' },
    {
      error: new DeploymentRefusedError('Vela refused the deployment (400: bad payload).'),
      code: 'DEPLOYMENT_REFUSED',
    },
    {
      error: new OutcomeUnknownError('The deployment may or may not exist: check Vela'),
      code: 'OUTCOME_UNKNOWN',
    },
    { error: new WaitTimeoutError('Timed out after 30m: build #7 is running'), code: 'WAIT_TIMEOUT' },
    { error: new BuildFailedError('Build #7 finished with status failure'), code: 'BUILD_FAILED' },
    {
      error: new BadResponseError(
        'malformed',
        'POST /api/v1/deployments/octo-org/app answered 201 with a body that is not JSON',
        201,
      ),
      code: 'BAD_RESPONSE',
    },
    { error: new CancelledError('Cancelled while waiting: build #7 is running'), code: 'CANCELLED' },
  ])('gives the message of $error.name as it is', ({ error, code }) => {
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(error.message)
    expect(failureMessage(error, undefined, NOW)).toBe(error.message)
    expect(error.code).toBe(code)
  })

  it('names the input in an InputError', () => {
    expect(failureMessage(new InputError('ref', 'is too long'), undefined, NOW)).toBe(
      "Input 'ref': is too long",
    )
  })
})

describe('failureMessage for anything else', () => {
  it.each([
    {
      name: 'an Error',
      thrown: new TypeError("Cannot read properties of undefined (reading 'x')"),
      shown: "Cannot read properties of undefined (reading 'x')",
    },
    { name: 'a string', thrown: 'something broke', shown: 'something broke' },
    { name: 'a number', thrown: 42, shown: '42' },
    { name: 'undefined', thrown: undefined, shown: 'undefined' },
  ])('calls $name unexpected and points at step debug logging', ({ thrown, shown }) => {
    expect(failureMessage(thrown, exampleSettings(), NOW)).toBe(
      `Unexpected error: ${shown} (turn on step debug logging to see where it happened)`,
    )
  })

  it('uses the current time when none is given', () => {
    const expired = withVelaToken(new Date(Date.now() - 1_000))
    expect(failureMessage(http(401, { serverMessage: 'x' }), expired)).toMatch(
      /the Vela access token expired at/,
    )
  })
})

describe('failureMessage is one line that cannot act as a workflow command', () => {
  it.each([
    { name: 'an action error starting with ::', error: new OutcomeUnknownError('::error::fake annotation') },
    {
      name: 'a Vela error starting with ::',
      error: new BadResponseError('malformed', '::set-output name=x::y', 201),
    },
    { name: 'a thrown string starting with ::', error: '::add-mask::secret' },
    {
      name: 'a 404 whose server message holds ##[',
      error: http(404, { serverMessage: 'no ##[error]such repo' }),
    },
    { name: 'a 500 whose server message holds ##[', error: http(500, { serverMessage: '##[group]x' }) },
    { name: 'a status line naming ##[', error: http(418, { serverMessage: '##[warning]teapot' }) },
    { name: 'a network error holding ##[', error: new NetworkError('socket', 'request failed: ##[debug]x') },
    {
      name: 'an unknown error over several lines',
      error: new Error('first\n::error::second\r\n##[warning]third'),
    },
  ])('for $name', ({ error }) => {
    const message = failureMessage(error, exampleSettings(), NOW)
    expect(message).not.toMatch(/^\s*::/)
    expect(message).not.toContain('##[')
    expect(message).not.toMatch(/[\r\n\u2028\u2029]/)
  })

  it('keeps a leading :: readable', () => {
    const message = failureMessage(new OutcomeUnknownError('::error::fake'), undefined, NOW)
    expect(message.replace(/\u2060/g, '')).toBe('::error::fake')
  })

  it('cuts a very long unexpected message', () => {
    const message = failureMessage(new Error('x'.repeat(5_000)), undefined, NOW)
    expect(message.length).toBeLessThan(1_100)
    expect(message).toContain('…')
  })
})

describe('a failed token exchange', () => {
  const exchange = { method: 'POST', path: '/authenticate/token' }

  it('says Vela refused the personal access token, and that nothing was sent', () => {
    const error = new TokenExchangeError(
      new VelaHttpError({ ...exchange, status: 401, serverMessage: 'Bad credentials' }),
    )
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(
      'Vela refused the personal access token (401: Bad credentials): it must be a GitHub personal access token of a Vela user. Nothing was sent to octo-org/app',
    )
  })

  it('explains any other failure as what it is, never as an unknown create', () => {
    const error = new TokenExchangeError(
      new VelaHttpError({ ...exchange, status: 500, serverMessage: 'unable to get user' }),
    )
    const message = failureMessage(error, exampleSettings(), NOW)
    expect(message).toMatch(
      /^Could not get a Vela access token for the personal access token, so nothing was sent to octo-org\/app: Vela failed on its side/,
    )
    expect(message).not.toMatch(/may or may not/)
  })
})

describe('failureMessage tells Vela from what stands in front of it', () => {
  const page = 'HTTP 404, text/html, body starts "404 Not Found nginx"'

  it('a web page with a success status: this address is not the Vela API', () => {
    const error = new NotVelaApiError('POST', CREATE.path, 200, 'HTTP 200, text/html, body starts "Vela"')
    expect(error.code).toBe('NOT_VELA_API')
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(
      `https://vela.example.com is not the Vela API: POST ${CREATE.path} answered 200 with a web page (HTTP 200, text/html, body starts "Vela"). Set the server input to the address of Vela's API (the one the Vela CLI uses), not the web UI`,
    )
    expect(failureMessage(error, undefined, NOW)).toMatch(/^The server is not the Vela API: /)
  })

  it.each([
    { name: "a proxy's 404 page", details: { bodySummary: page, webPage: true }, said: page },
    {
      name: "gin's 404 for a route it does not have",
      details: { bodySummary: 'HTTP 404, text/plain, body starts "404 page not found"' },
      said: 'HTTP 404, text/plain, body starts "404 page not found"',
    },
  ])('$name is not a repository Vela does not know', ({ details, said }) => {
    const message = failureMessage(http(404, details), exampleSettings(), NOW)
    expect(message).toBe(
      `https://vela.example.com has no Vela API at ${CREATE.path} (${said}). Check the server input: Vela's API address (the one the Vela CLI uses) with any path prefix, not the web UI`,
    )
  })

  it('any other page came from in front of Vela, not from Vela', () => {
    const summary = 'HTTP 401, text/html, body starts "Sign in"'
    const message = failureMessage(http(401, { bodySummary: summary, webPage: true }), exampleSettings(), NOW)
    expect(message).toBe(
      `A proxy, gateway or web server in front of Vela answered 401 to POST ${CREATE.path}, not Vela (${summary}). Check the server input and the network between the runner and Vela`,
    )
  })

  it('a build Vela no longer has is not a repository it does not know', () => {
    const error = new VelaHttpError({
      method: 'GET',
      path: '/api/v1/repos/octo-org/app/builds/7',
      status: 404,
      serverMessage: 'unable to read build octo-org/app/7: record not found',
    })
    expect(failureMessage(error, exampleSettings(), NOW)).toBe(
      'Vela no longer has build #7 of octo-org/app (404: unable to read build octo-org/app/7: record not found): it was deleted while the action was following it',
    )
  })

  it('a build read that Vela answers for the repository is about the repository', () => {
    const error = new VelaHttpError({
      method: 'GET',
      path: '/api/v1/repos/octo-org/app/builds/7',
      status: 404,
      serverMessage: 'unable to read repo octo-org/app: record not found',
    })
    expect(failureMessage(error, exampleSettings(), NOW)).toMatch(/^Vela does not know octo-org\/app \(404: /)
  })
})
