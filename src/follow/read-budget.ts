import { AccessLostError, UnexpectedAnswerError } from '../shared/errors.js'
import { BadResponseError, NotVelaApiError, VelaHttpError } from '../vela/errors.js'
import { isTransient } from '../vela/retry.js'

/**
 * Attempts at a read that Vela answers 401 after reads with the same unexpired token succeeded: Vela asks
 * GitHub for the user's permission on every read of a private repository, and answers 401 when GitHub fails.
 */
const UNAUTHORIZED_ATTEMPTS = 5
/** Attempts at a read whose answer is not what Vela's API returns (an HTML page from a proxy, say). */
const SURPRISE_ATTEMPTS = 3

// A web page where JSON belongs means "not the Vela API" on first contact; once reads have succeeded, it is
// something in front of Vela (a single-sign-on page, a gateway) answering in its place for a while.
const isSurprise = (error: unknown): error is BadResponseError | NotVelaApiError =>
  error instanceof NotVelaApiError ||
  (error instanceof BadResponseError && (error.reason === 'malformed' || error.reason === 'unexpected-shape'))
const isUnauthorized = (error: unknown): error is VelaHttpError =>
  error instanceof VelaHttpError && error.status === 401

/** Why retrying a read stopped before the deadline did: a kind's attempts ran out, or the failure is not retried. */
type Stop =
  | { kind: 'surprises'; error: BadResponseError | NotVelaApiError }
  | { kind: 'refusals'; error: VelaHttpError }
  | { kind: 'not-retried' }

/**
 * The retries a read may still spend while following a build. Two kinds of failure get a few attempts in a
 * row (answers that are not Vela's, and 401s after the token was accepted); other failures are retried while
 * transient, until the deadline. Each failure and success is told explicitly; the budget then says whether
 * to try again and, when not, why.
 */
export class ReadBudget {
  private surprises = 0
  private refusals = 0
  private anyReadSucceeded = false
  private stop: Stop | undefined

  constructor(
    private readonly repository: string,
    /** Whether the Vela token in use is still unexpired: a 401 after it expires is no hiccup. */
    private readonly tokenUnexpired: () => boolean,
  ) {}

  /** A read was answered: failures in a row start again from none. */
  succeeded(): void {
    this.anyReadSucceeded = true
    this.surprises = 0
    this.refusals = 0
    this.stop = undefined
  }

  /** A read failed: counts the failure against its kind's attempts, and decides whether retrying stops. */
  failed(error: unknown): void {
    if (isSurprise(error)) {
      this.surprises++
      this.stop = this.surprises >= SURPRISE_ATTEMPTS ? { kind: 'surprises', error } : undefined
    } else if (isUnauthorized(error) && this.anyReadSucceeded && this.tokenUnexpired()) {
      this.refusals++
      this.stop = this.refusals >= UNAUTHORIZED_ATTEMPTS ? { kind: 'refusals', error } : undefined
    } else {
      this.stop = isTransient(error) ? undefined : { kind: 'not-retried' }
    }
  }

  /** Whether the read that just failed may be tried again (the deadline permitting). */
  mayRetry(): boolean {
    return this.stop === undefined
  }

  /**
   * When the attempts of a kind ran out, the error to fail with: it says how many failures in a row, and what
   * they may mean. Undefined when retrying went on, or stopped for the failure itself or the deadline.
   */
  ranOut(): UnexpectedAnswerError | AccessLostError | undefined {
    const stop = this.stop
    if (stop?.kind === 'surprises') {
      const { error } = stop
      const what =
        error instanceof NotVelaApiError
          ? `${error.method} ${error.path} answered ${error.status} with a web page (${error.bodySummary})`
          : error.message
      return new UnexpectedAnswerError(
        `Vela's answer was not what its API returns, ${this.surprises} times in a row: ${what}. Something in front of Vela (a single-sign-on page or a gateway) may be answering in its place; check the server input`,
        { cause: error },
      )
    }
    if (stop?.kind === 'refusals') {
      return new AccessLostError(
        `Vela refused to read ${this.repository} (401: ${stop.error.said}) ${this.refusals} times in a row while waiting, although earlier reads with the same unexpired token succeeded. Either GitHub failed behind Vela's permission check (Vela asks GitHub on every read of a private repository and answers 401 when GitHub fails), or access was really lost (the token revoked, or the user's access to the repository removed)`,
        { cause: stop.error },
      )
    }
    return undefined
  }
}
