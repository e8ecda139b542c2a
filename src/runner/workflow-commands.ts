// What the action says to the runner: log lines, workflow commands on stdout and the files the runner reads
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), written exactly as @actions/core writes them (a test compares the
// two). The action does not load @actions/core: its index loads @actions/http-client, and with it all of
// undici, at start-up, for an OIDC token this action never asks for (CONTRIBUTING, Performance).

import { randomUUID } from 'node:crypto'
import { appendFileSync, existsSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'

/** Workflow command data: '%', CR and LF escaped, so a value stays on its command's line. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

function issue(command: string, message = '', properties: Record<string, string> = {}): void {
  const list = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',')
  process.stdout.write(`::${command}${list ? ` ${list}` : ''}::${escapeData(message)}${EOL}`)
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`)
}

/** Shown only when step debug logging is on. */
export function debug(message: string): void {
  issue('debug', message)
}

export function warning(message: string | Error): void {
  issue('warning', String(message))
}

export function startGroup(title: string): void {
  issue('group', title)
}

export function endGroup(): void {
  issue('endgroup')
}

/** Hides a secret in everything printed after this. */
export function setSecret(secret: string): void {
  issue('add-mask', secret)
}

/** Fails the step: an error annotation, and exit status 1 once the process ends. */
export function setFailed(message: string | Error): void {
  process.exitCode = 1
  issue('error', String(message))
}

/** Sets a step output: a `name<<delimiter` block in GITHUB_OUTPUT, or the old command outside a runner. */
export function setOutput(name: string, value: string | number): void {
  const text = String(value)
  const file = process.env.GITHUB_OUTPUT
  if (!file) {
    process.stdout.write(EOL)
    issue('set-output', text, { name })
    return
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  // A fresh random delimiter: no value can end its block early.
  const delimiter = `ghadelimiter_${randomUUID()}`
  appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, 'utf8')
}

interface Summary {
  addRaw(text: string, addEOL?: boolean): Summary
  /** Appends what was added to GITHUB_STEP_SUMMARY. */
  write(): Promise<Summary>
}

let summaryText = ''

/** The job summary: HTML appended to GITHUB_STEP_SUMMARY. */
export const summary: Summary = {
  addRaw(text, addEOL = false) {
    summaryText += addEOL ? `${text}${EOL}` : text
    return summary
  },
  async write() {
    const file = process.env.GITHUB_STEP_SUMMARY
    if (!file) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY')
    const text = summaryText
    summaryText = ''
    await appendFile(file, text, 'utf8')
    return summary
  },
}
