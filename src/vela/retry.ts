import { setTimeout as delay } from 'node:timers/promises'
import {
  BadResponseError,
  CancelledError,
  NetworkError,
  TokenExchangeError,
  VelaHttpError,
} from './errors.js'

/** Time as the retry and wait loops see it; tests pass a virtual one, so nothing really waits. */
export interface Clock {
  now(): number
  /** Sleeps, ending early with CancelledError when the signal fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    try {
      await delay(ms, undefined, signal ? { signal } : undefined)
    } catch (error) {
      if (signal?.aborted) throw new CancelledError('cancelled', { cause: error })
      throw error
    }
  },
}

/** Attempts in all for a read that gives up before a deadline would: a lookup, a token exchange. */
export const READ_ATTEMPTS = 3

const BASE_DELAY_MS = 1_000
const MAX_DELAY_MS = 30_000
/** The longest `Retry-After` we honour; a server asking for more gets asked again sooner. */
export const MAX_RETRY_AFTER_MS = 60_000

/** Exponential backoff with full jitter; a server's `Retry-After` wins, capped. */
export function backoffMs(
  attempt: number,
  retryAfter: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, MAX_RETRY_AFTER_MS)
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Whether a read (GET, or the token exchange) may be tried again after this error. */
export function isTransient(error: unknown): boolean {
  // A renewal that failed for a passing reason (mid-wait, say) may succeed on the next read.
  if (error instanceof TokenExchangeError) return isTransient(error.cause)
  if (error instanceof NetworkError) return !error.permanent
  if (error instanceof VelaHttpError) return error.status >= 500 || error.status === 429
  if (error instanceof BadResponseError)
    return error.reason === 'malformed' || error.reason === 'unexpected-shape'
  return false
}

/**
 * Whether a create may be sent again: only when it provably never reached the server, or the server said
 * "not now" with a Retry-After. Timeouts, resets after sending, 500, 502 and 504 may have created it.
 */
export function createMaySendAgain(error: unknown): boolean {
  if (error instanceof NetworkError) return error.requestNotSent && !error.permanent
  if (error instanceof VelaHttpError) {
    return (error.status === 429 || error.status === 503) && error.retryAfterMs !== undefined
  }
  return false
}

function retryAfterOf(error: unknown): number | undefined {
  return error instanceof VelaHttpError ? error.retryAfterMs : undefined
}

interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number
  /** Decides whether an error is worth another attempt. */
  retryable: (error: unknown) => boolean
  /** No attempt starts after this time (epoch ms), and no sleep runs past it. */
  deadline?: number
  signal?: AbortSignal
  clock?: Clock
  /** Told before each wait, e.g. to log it. */
  onRetry?: (error: unknown, delayMs: number, attempt: number) => void
}

export async function retrying<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, retryable, deadline, signal, clock = realClock, onRetry } = options
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error
      const delayMs = backoffMs(attempt - 1, retryAfterOf(error))
      if (deadline !== undefined && clock.now() + delayMs >= deadline) throw error
      onRetry?.(error, delayMs, attempt)
      await clock.sleep(delayMs, signal)
    }
  }
}
