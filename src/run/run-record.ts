import type { Settings } from '../inputs/settings.js'
import { BuildFailedError, WaitTimeoutError } from '../shared/errors.js'
import { CancelledError } from '../vela/errors.js'
import type { Build, Deployment } from '../vela/schemas.js'

/**
 * What this run did, written as it goes by the create, the wait and the failure handler, and read at the
 * end for the outputs, the job summary and the failure message, however the run ends.
 */
export interface RunRecord {
  readonly settings: Settings
  /** The request a dry run printed instead of sending it. */
  dryRunRequest?: string
  /**
   * Set while a create request has left and Vela has not said whether it took it: until then, the deployment
   * may exist. Cleared when an attempt provably did not reach Vela.
   */
  createSent?: boolean
  deployment?: Deployment
  /** The body Vela answered the create with (or the recovered deployment), for the `deployment` output. */
  deploymentJson?: string
  /** The release Vela names at GET /version, when it was read (only while waiting, to spare a plain create a request). */
  serverVersion?: string
  /** The latest state seen of the deployment's build. */
  build?: Build
  /** The failed steps of a build that failed, with the last lines of each one's log as far as they could be read. */
  failedSteps?: FailedStep[]
  /** The environment's address, once GitHub shows it on Vela's deployment. */
  environmentUrl?: string
  /** The one line the step failed with, and what kind of failure it was. */
  failure?: { message: string; kind: FailureKind }
}

/** A create has been sent and neither answered nor failed: until it is, the deployment may or may not exist. */
export function createInFlight(record: RunRecord | undefined): boolean {
  return record?.createSent === true && record.deployment === undefined && record.failure === undefined
}

/** How a run failed, as its summary tells it. */
export type FailureKind = 'build-failed' | 'timed-out' | 'cancelled' | 'other'

export function failureKind(error: unknown): FailureKind {
  if (error instanceof BuildFailedError) return 'build-failed'
  if (error instanceof WaitTimeoutError) return 'timed-out'
  // A cancel during the create ends with the create's outcome unknown, caused by the cancel.
  if (error instanceof CancelledError || (error instanceof Error && error.cause instanceof CancelledError)) {
    return 'cancelled'
  }
  return 'other'
}

export interface FailedStep {
  name: string
  status: string
  exitCode: number | undefined
  /** The last lines of the step's log (untrusted text); empty when it could not be read. */
  lastLines: string[]
}
