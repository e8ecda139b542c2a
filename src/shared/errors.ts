// Failures the action itself decides on (as opposed to src/vela/errors.ts: what a call to Vela failed with).
// Each message is the one line the user sees; `code` says which kind it is.

export abstract class ActionError extends Error {
  abstract readonly code: string
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** An input is missing or malformed. Raised before anything is sent. */
export class InputError extends ActionError {
  readonly code = 'INPUT_INVALID'
  constructor(input: string, problem: string) {
    super(`Input '${input}': ${problem}`)
  }
}

/** Vela refused the deployment (400), with what its deployment config allows, when that could be read. */
export class DeploymentRefusedError extends ActionError {
  readonly code = 'DEPLOYMENT_REFUSED'
}

/** The create request may have reached Vela, and we could not confirm whether the deployment exists. */
export class OutcomeUnknownError extends ActionError {
  readonly code = 'OUTCOME_UNKNOWN'
}

/** `wait-timeout` passed before the build reached a terminal status. */
export class WaitTimeoutError extends ActionError {
  readonly code = 'WAIT_TIMEOUT'
}

/** The build finished with a status other than success. */
export class BuildFailedError extends ActionError {
  readonly code = 'BUILD_FAILED'
}

/**
 * During the wait, Vela kept answering 401 to reads that the same, unexpired token had been allowed before:
 * GitHub failing behind Vela's permission check, or access really lost.
 */
export class AccessLostError extends ActionError {
  readonly code = 'ACCESS_LOST'
}

/** Vela, or something in front of it, kept answering with something other than what its API returns. */
export class UnexpectedAnswerError extends ActionError {
  readonly code = 'UNEXPECTED_ANSWER'
}

/** The `deployment` input names a deployment Vela does not have for the repository. */
export class DeploymentNotFoundError extends ActionError {
  readonly code = 'DEPLOYMENT_NOT_FOUND'
}
