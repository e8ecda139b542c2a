// Vela's build and step statuses, and what each means to the action (constants/status.go; docs/vela-api.md
// §3.4). Builds and steps share them. Any other string is a status this action does not know: neither
// waiting nor final, so it is waited out and said, never taken as an end.

export const Status = {
  /** Created and queued, or waiting on build limits or a worker. */
  pending: 'pending',
  /** Waiting for a repository admin to approve it (never a deployment build, in practice). */
  pendingApproval: 'pending approval',
  running: 'running',
  success: 'success',
  /** A step failed: its log says why. */
  failure: 'failure',
  /** Vela or a worker failed it (compile, image, approval timeout, clean-up). */
  error: 'error',
  /** Stopped from outside: a cancel request, or auto-cancel. */
  canceled: 'canceled',
  /** Stopped by the worker or a clean-up. */
  killed: 'killed',
} as const

/** Not running yet. */
const NOT_STARTED: ReadonlySet<string> = new Set([Status.pending, Status.pendingApproval])
/** Ended, and never changes again. */
const FINAL: ReadonlySet<string> = new Set([
  Status.success,
  Status.failure,
  Status.error,
  Status.canceled,
  Status.killed,
])
/** Ended by its own fault: a step whose log and error tell why it failed. */
const FAILED: ReadonlySet<string> = new Set([Status.failure, Status.error])

/** Ended, for good: success, failure, error, canceled or killed. */
export function isFinal(status: string | undefined): boolean {
  return status !== undefined && FINAL.has(status)
}

/** Ended in failure or error: its log and error say why. */
export function isFailed(status: string | undefined): boolean {
  return status !== undefined && FAILED.has(status)
}

/** Ended without success: failed, canceled or killed. */
export function isUnsuccessful(status: string | undefined): boolean {
  return isFinal(status) && status !== Status.success
}

/** Pending or waiting for approval: not running yet. */
export function isPending(status: string | undefined): boolean {
  return status !== undefined && NOT_STARTED.has(status)
}

/** Pending, waiting for approval, or running: a status Vela will move on from. */
export function isWaiting(status: string | undefined): boolean {
  return isPending(status) || status === Status.running
}

/** Running or ended: a step or build with a status the action knows, past pending. */
export function hasStarted(status: string | undefined): boolean {
  return status === Status.running || isFinal(status)
}

/** The worst first: how a group of ended steps (a stage) ended, by the worst way one of them did. */
const ENDS_WORST_FIRST = [Status.failure, Status.error, Status.killed, Status.canceled]

/** How a group of ended steps ended: failure, error, killed or canceled if one of them did, else success. */
export function groupEnd(statuses: ReadonlyArray<string | undefined>): string {
  return ENDS_WORST_FIRST.find((end) => statuses.includes(end)) ?? Status.success
}
