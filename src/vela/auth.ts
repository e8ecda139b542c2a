import { BadResponseError, CancelledError, TokenExchangeError } from './errors.js'
import { looksLikeJwt, readJwtClaims } from './jwt.js'
import type { VelaHttp } from './http.js'
import { isTransient, READ_ATTEMPTS, retrying } from './retry.js'
import { TokenResponse } from './schemas.js'

/** How to authenticate: a Vela access token as is, or a GitHub personal access token exchanged for one. */
export type Credential =
  | { kind: 'vela-token'; token: string; user: string | undefined; expiresAt: Date | undefined }
  | { kind: 'personal-access-token'; token: string }

/** Bounds of the call a token is needed for: an exchange on its behalf ends within `timeoutMs` too. */
export interface AuthOptions {
  signal?: AbortSignal
  /** What is left of the caller's own deadline; without it, each exchange attempt gets the request timeout. */
  timeoutMs?: number
}

/** Supplies the Authorization header; a personal access token is exchanged, and exchanged again when needed. */
export interface Authenticator {
  readonly kind: Credential['kind']
  authorization(options?: AuthOptions): Promise<string>
  /** Called after a 401: true when a fresh token was obtained and the request may be sent again. */
  renew(options?: AuthOptions): Promise<boolean>
  /** The Vela user name, once known (from the token's claims). */
  user(): string | undefined
  /** When the Vela token in use expires, if it says. */
  expiresAt(): Date | undefined
}

// Exchange again this long before the Vela token expires (or a quarter of its life, if shorter),
// so a request never leaves with a stale token.
const RENEW_MARGIN_MS = 30_000

class VelaTokenAuthenticator implements Authenticator {
  readonly kind = 'vela-token'
  constructor(private readonly credential: Extract<Credential, { kind: 'vela-token' }>) {}
  authorization(): Promise<string> {
    return Promise.resolve(`Bearer ${this.credential.token}`)
  }
  renew(): Promise<boolean> {
    return Promise.resolve(false)
  }
  user(): string | undefined {
    return this.credential.user
  }
  expiresAt(): Date | undefined {
    return this.credential.expiresAt
  }
}

/** Trades a GitHub personal access token for a short-lived Vela access token at `POST /authenticate/token`. */
class PersonalAccessTokenAuthenticator implements Authenticator {
  readonly kind = 'personal-access-token'
  private token: string | undefined
  private expiry: Date | undefined
  private renewAt = 0
  private subject: string | undefined

  constructor(
    private readonly http: VelaHttp,
    private readonly pat: string,
    private readonly timeoutMs: number,
    private readonly onSecret: (secret: string) => void,
  ) {}

  async authorization(options: AuthOptions = {}): Promise<string> {
    const current = this.token
    const fresh = current === undefined || this.renewAt <= Date.now()
    return `Bearer ${fresh ? await this.exchange(options) : current}`
  }

  async renew(options: AuthOptions = {}): Promise<boolean> {
    await this.exchange(options)
    return true
  }

  user(): string | undefined {
    return this.subject
  }

  expiresAt(): Date | undefined {
    return this.expiry
  }

  /** Fails with TokenExchangeError (nothing else was sent), or CancelledError. */
  private async exchange({ signal, timeoutMs }: AuthOptions): Promise<string> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs
    let response
    try {
      response = await retrying(
        () =>
          this.http.send({
            method: 'POST',
            path: ['authenticate', 'token'],
            headers: { token: this.pat },
            timeoutMs:
              deadline === undefined
                ? this.timeoutMs
                : Math.max(1, Math.min(this.timeoutMs, deadline - Date.now())),
            signal,
          }),
        { attempts: READ_ATTEMPTS, retryable: isTransient, deadline, signal },
      )
    } catch (error) {
      if (error instanceof CancelledError) throw error
      throw new TokenExchangeError(error)
    }
    const parsed = TokenResponse.safeParse(response.body)
    const token = parsed.success ? parsed.data.token : undefined
    // Checked before it is masked: masking a short non-token (say "e") would hide it all over the job log.
    if (token === undefined || !looksLikeJwt(token)) {
      throw new TokenExchangeError(
        new BadResponseError(
          'unexpected-shape',
          'POST /authenticate/token answered without a Vela access token',
          response.status,
        ),
      )
    }
    this.onSecret(token)
    const claims = readJwtClaims(token)
    this.token = token
    this.subject = claims?.sub
    this.expiry = claims?.exp === undefined ? undefined : new Date(claims.exp * 1_000)
    // The lifetime by the server's own clock (iat to exp), so a runner clock that differs from the server's
    // neither renews before every request nor sends an expired token.
    const lifetimeMs =
      claims?.exp === undefined
        ? Number.POSITIVE_INFINITY
        : (claims.exp - (claims.iat ?? Math.floor(Date.now() / 1_000))) * 1_000
    this.renewAt = Date.now() + lifetimeMs - Math.min(RENEW_MARGIN_MS, lifetimeMs / 4)
    return token
  }
}

/** `onSecret` is told every token the server hands out, before anything can print it (to mask it). */
export function createAuthenticator(
  http: VelaHttp,
  credential: Credential,
  timeoutMs: number,
  onSecret: (secret: string) => void,
): Authenticator {
  return credential.kind === 'vela-token'
    ? new VelaTokenAuthenticator(credential)
    : new PersonalAccessTokenAuthenticator(http, credential.token, timeoutMs, onSecret)
}
