import { CancelledError } from '../../src/vela/errors.js'
import type { Clock } from '../../src/vela/retry.js'

/** Time that moves only when something sleeps: a sleep advances it at once, so tests never really wait. */
export class VirtualClock implements Clock {
  /** Every sleep asked for, in milliseconds. */
  readonly sleeps: number[] = []

  constructor(public time = 1_000_000) {}

  now = () => this.time

  sleep = (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) return Promise.reject(new CancelledError())
    this.sleeps.push(ms)
    this.time += ms
    return Promise.resolve()
  }
}
