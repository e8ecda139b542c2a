import { describe, expect, it } from '@jest/globals'
import {
  BadResponseError,
  CancelledError,
  NetworkError,
  NotVelaApiError,
  TokenExchangeError,
  VelaHttpError,
  type NetworkFailure,
} from '../src/vela/errors.js'
import {
  backoffMs,
  createMaySendAgain,
  isTransient,
  MAX_RETRY_AFTER_MS,
  retrying,
} from '../src/vela/retry.js'

const http = (status: number, retryAfterMs?: number) =>
  new VelaHttpError({
    method: 'POST',
    path: '/api/v1/deployments/o/r',
    status: status,
    retryAfterMs: retryAfterMs,
  })
const net = (failure: NetworkFailure) => new NetworkError(failure, failure)

describe('when a create may be sent again', () => {
  it.each([
    ['connection refused', net('connection-refused'), true],
    ['name does not resolve', net('dns'), true],
    ['connect timeout', net('connect-timeout'), true],
    ['proxy refused the tunnel', net('proxy-refused'), true],
    ['proxy asks for credentials', net('proxy-auth'), false],
    ['429 with Retry-After', http(429, 5_000), true],
    ['503 with Retry-After', http(503, 0), true],
    ['429 without Retry-After', http(429), false],
    ['503 without Retry-After', http(503), false],
    ['request timeout', net('timeout'), false],
    ['reset after sending', net('connection-reset'), false],
    ['500', http(500), false],
    ['502', http(502), false],
    ['504', http(504), false],
    ['400', http(400), false],
    ['401', http(401), false],
    ['201 with a broken body', new BadResponseError('malformed', 'x', 201), false],
  ])('%s → %s', (_name, error, expected) => {
    expect(createMaySendAgain(error)).toBe(expected)
  })
})

describe('when a read may be tried again', () => {
  it.each([
    [net('timeout'), true],
    [net('connection-reset'), true],
    [net('tls'), false],
    [net('proxy-auth'), false],
    [http(500), true],
    [http(502), true],
    [http(429), true],
    [http(404), false],
    [http(401), false],
    [new BadResponseError('malformed', 'x', 200), true],
    [new BadResponseError('redirect', 'x', 302), false],
    [new BadResponseError('too-large', 'x', 200), false],
    [new CancelledError(), false],
    [new NotVelaApiError('GET', '/api/v1/x', 200, 'HTTP 200, text/html'), false],
    [new TokenExchangeError(net('timeout')), true],
    [new TokenExchangeError(http(401)), false],
  ])('%s → %s', (error, expected) => {
    expect(isTransient(error)).toBe(expected)
  })
})

describe('backoffMs', () => {
  it('grows exponentially with jitter and a ceiling', () => {
    expect(backoffMs(0, undefined, () => 0)).toBe(500)
    expect(backoffMs(0, undefined, () => 1)).toBe(1_000)
    expect(backoffMs(3, undefined, () => 1)).toBe(8_000)
    expect(backoffMs(20, undefined, () => 1)).toBe(30_000)
  })

  it("honours the server's Retry-After, capped", () => {
    expect(backoffMs(0, 12_000)).toBe(12_000)
    expect(backoffMs(0, 3_600_000)).toBe(MAX_RETRY_AFTER_MS)
  })
})

describe('retrying', () => {
  const instant = { now: () => 0, sleep: () => Promise.resolve() }

  it('stops after the allowed attempts', async () => {
    let calls = 0
    const attempt = () => {
      calls++
      return Promise.reject(http(502))
    }
    await expect(
      retrying(attempt, { attempts: 3, retryable: isTransient, clock: instant }),
    ).rejects.toMatchObject({ status: 502 })
    expect(calls).toBe(3)
  })

  it('does not retry what is not retryable', async () => {
    let calls = 0
    const attempt = () => {
      calls++
      return Promise.reject(http(500))
    }
    await expect(
      retrying(attempt, { attempts: 3, retryable: createMaySendAgain, clock: instant }),
    ).rejects.toMatchObject({
      status: 500,
    })
    expect(calls).toBe(1)
  })

  it('waits what the server asked before trying again', async () => {
    const waits: number[] = []
    let calls = 0
    const result = await retrying(
      () => (++calls < 2 ? Promise.reject(http(429, 2_000)) : Promise.resolve('created')),
      {
        attempts: 3,
        retryable: createMaySendAgain,
        clock: { now: () => 0, sleep: (ms) => (waits.push(ms), Promise.resolve()) },
      },
    )
    expect(result).toBe('created')
    expect(waits).toEqual([2_000])
  })

  it('gives up rather than sleep past the deadline', async () => {
    let calls = 0
    const attempt = () => {
      calls++
      return Promise.reject(http(503, 50_000))
    }
    await expect(
      retrying(attempt, {
        attempts: 10,
        retryable: isTransient,
        clock: instant,
        deadline: 10_000,
      }),
    ).rejects.toMatchObject({ status: 503 })
    expect(calls).toBe(1)
  })
})
