import { formatDuration } from '../shared/duration.js'
import type { Log } from './log.js'

// The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s after that
// (RUNNER.md). Nothing can be printed after SIGKILL, so everything the user must read is out by then.

/** A create already in flight at the first signal may finish until then; its answer decides what exists. */
export const CREATE_GRACE_MS = 7_000
/** If the run has still not ended by then, it reports what it knows and exits: SIGKILL lands at 10 s. */
export const LAST_WORDS_MS = 8_500

/** What a cancel of the workflow stops: `wait` at the first signal, `create` after a grace time or at the second. */
export interface CancelSignals {
  wait: AbortSignal
  create: AbortSignal
  /** Stops listening, and drops the timers of a cancel already under way: the run has ended. */
  dispose(): void
}

/**
 * The first signal stops waiting at once; a create in flight (`createInFlight` tells) is left to finish
 * (aborting it would leave its outcome unknown) until CREATE_GRACE_MS or the second signal. `lastWords` runs
 * at LAST_WORDS_MS, if the run is still going, to end it with what is known; once it has, the process exits.
 */
export function listenForCancel(
  log: Pick<Log, 'info'>,
  lastWords: () => Promise<void>,
  createInFlight: () => boolean,
): CancelSignals {
  const wait = new AbortController()
  const create = new AbortController()
  const timers: NodeJS.Timeout[] = []
  const onSignal = (signal: NodeJS.Signals) => {
    if (wait.signal.aborted) {
      create.abort()
      return
    }
    log.info(
      createInFlight()
        ? `Received ${signal}: stopping; the create request in flight has ${formatDuration(CREATE_GRACE_MS)} to be answered`
        : `Received ${signal}: stopping`,
    )
    wait.abort()
    timers.push(
      setTimeout(() => {
        create.abort()
      }, CREATE_GRACE_MS).unref(),
      setTimeout(() => {
        void lastWords()
          .catch(() => undefined)
          .finally(() => process.exit(1))
      }, LAST_WORDS_MS).unref(),
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    wait: wait.signal,
    create: create.signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      for (const timer of timers) clearTimeout(timer)
    },
  }
}
