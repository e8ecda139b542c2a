import type { Settings } from './settings.js'
import type { Build, Deployment } from './vela/schemas.js'

/**
 * What this run did, written as it goes by the create, the wait and the failure handler, and read at the
 * end for the outputs, the job summary and the failure message, however the run ends.
 */
export interface RunRecord {
  readonly settings: Settings
  /** The request a dry run printed instead of sending it. */
  dryRunRequest?: string
  /** Set once the create began: from then on, until Vela answers, the deployment may exist. */
  createStarted?: boolean
  deployment?: Deployment
  /** The body Vela answered the create with (or the recovered deployment), for the `deployment` output. */
  deploymentJson?: string
  /** The latest state seen of the deployment's build. */
  build?: Build
  /** The one line the step failed with, and the failing error's `code` when it has one. */
  failure?: { message: string; code: string | undefined }
}
