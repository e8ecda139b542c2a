import { jobLog, type Log } from '../runner/log.js'
import { realClock, type Clock } from '../vela/retry.js'

/** What the create and the wait do besides talking to Vela: log and keep time. Tests pass their own. */
export interface Runtime {
  log: Log
  clock: Clock
}

export const liveRuntime: Runtime = { log: jobLog, clock: realClock }
