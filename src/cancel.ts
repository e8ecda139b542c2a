import * as core from '@actions/core'

/** After a cancel, the process exits by this time even if something still holds it open. */
const CANCEL_GRACE_MS = 3_000

/** What a cancel of the workflow stops: `wait` at the first signal, `create` at the second. */
export interface CancelSignals {
  wait: AbortSignal
  create: AbortSignal
  dispose(): void
}

/**
 * The runner sends SIGINT on cancel, then SIGTERM. The first signal stops waiting at once; a create in flight
 * is left to finish (aborting it would leave its outcome unknown) until the second signal.
 */
export function listenForCancel(): CancelSignals {
  const wait = new AbortController()
  const create = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (wait.signal.aborted) {
      create.abort()
      return
    }
    core.info(`Received ${signal}: stopping`)
    wait.abort()
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    wait: wait.signal,
    create: create.signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
