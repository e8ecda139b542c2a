import * as core from './workflow-commands.js'
import { randomUUID } from 'node:crypto'
import { safeLogLine } from '../shared/safe-text.js'

/** Where the action's progress goes: the job log. Tests pass their own. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  /** Shown only when step debug logging is on. */
  debug(message: string): void
  startGroup(title: string): void
  endGroup(): void
}

export const jobLog: Log = core

/**
 * Prints untrusted lines between `::stop-commands::` and its resume marker, with a fresh random token so the
 * text cannot end the fence itself; each line is defused as well.
 */
export function printUntrusted(lines: readonly string[], log: Pick<Log, 'info'>): void {
  const token = randomUUID()
  log.info(`::stop-commands::${token}`)
  for (const line of lines) log.info(safeLogLine(line))
  log.info(`::${token}::`)
}
