import { runnerJob, type Job } from '../runner/job.js'
import { jobLog, type Log } from '../runner/log.js'
import { realClock, type Clock } from '../vela/retry.js'

/** What a run does besides talking to Vela: log, keep time and report to the runner. Tests pass their own. */
export interface Runtime {
  log: Log
  clock: Clock
  job: Job
}

export const liveRuntime: Runtime = { log: jobLog, clock: realClock, job: runnerJob }
