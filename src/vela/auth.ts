import { sendRequest } from './client.js'
import { BadResponseError } from './errors.js'
import { looksLikeJwt, readJwtClaims } from './jwt.js'
import { isTransient, READ_ATTEMPTS, retrying } from './retry.js'
import { TokenResponse } from './schemas.js'

/** How to authenticate: a Vela access token as is, or a GitHub personal access token exchanged for one. */
export type Credential =
  | { kind: 'vela-token'; token: string; user: string | undefined; expiresAt: Date | undefined }
  | { kind: 'personal-access-token'; token: string }

/** Supplies the Authorization header; a personal access token is exchanged, and exchanged again when needed. */
export interface Authenticator {
  readonly kind: Credential['kind']
  authorization(signal?: AbortSignal): Promise<string>
  /** Called after a 401: true when a fresh token was obtained and the request may be sent again. */
  renew(signal?: AbortSignal): Promise<boolean>
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
    private readonly server: string,
    private readonly pat: string,
    private readonly timeoutMs: number,
    private readonly onSecret: (secret: string) => void,
  ) {}

  async authorization(signal?: AbortSignal): Promise<string> {
    const current = this.token
    const fresh = current === undefined || (this.expiry !== undefined && this.renewAt <= Date.now())
    return `Bearer ${fresh ? await this.exchange(signal) : current}`
  }

  async renew(signal?: AbortSignal): Promise<boolean> {
    await this.exchange(signal)
    return true
  }

  user(): string | undefined {
    return this.subject
  }

  expiresAt(): Date | undefined {
    return this.expiry
  }

  private async exchange(signal?: AbortSignal): Promise<string> {
    const response = await retrying(
      () =>
        sendRequest(this.server, {
          method: 'POST',
          path: ['authenticate', 'token'],
          headers: { token: this.pat },
          timeoutMs: this.timeoutMs,
          signal,
        }),
      { attempts: READ_ATTEMPTS, retryable: isTransient, signal },
    )
    const parsed = TokenResponse.safeParse(response.body)
    const token = parsed.success ? parsed.data.token : undefined
    // Checked before it is masked: masking a short non-token (say "e") would hide it all over the job log.
    if (token === undefined || !looksLikeJwt(token)) {
      throw new BadResponseError(
        'unexpected-shape',
        'POST /authenticate/token answered without a Vela access token',
        response.status,
      )
    }
    this.onSecret(token)
    const claims = readJwtClaims(token)
    this.token = token
    this.subject = claims?.sub
    this.expiry = claims?.exp === undefined ? undefined : new Date(claims.exp * 1_000)
    if (this.expiry) {
      const lifetime = this.expiry.getTime() - Date.now()
      this.renewAt = this.expiry.getTime() - Math.min(RENEW_MARGIN_MS, lifetime / 4)
    }
    return token
  }
}

/** `onSecret` is told every token the server hands out, before anything can print it (to mask it). */
export function createAuthenticator(
  server: string,
  credential: Credential,
  timeoutMs: number,
  onSecret: (secret: string) => void,
): Authenticator {
  return credential.kind === 'vela-token'
    ? new VelaTokenAuthenticator(credential)
    : new PersonalAccessTokenAuthenticator(server, credential.token, timeoutMs, onSecret)
}
