import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// Runs the committed bundle the way the GitHub runner does: `node dist/index.js` with INPUT_* variables
// (hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the GITHUB_* context.
// Used by the end-to-end tests, `npm run demo` and `npm run bench`.

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const BUNDLE = join(ROOT, 'dist', 'index.js')

/**
 * The Node that runs the bundle: E2E_NODE if set (`.ci/run` points it at Node 24, the runner's), else the
 * Node running this process.
 */
export const ACTION_NODE = nodeAt(process.env.E2E_NODE)

/** A relative path is taken from where the tests started, not from the run's own working directory. */
function nodeAt(path: string | undefined): string {
  if (!path) return process.execPath
  return path.includes('/') ? resolve(path) : path
}

export const WORKFLOW_CONTEXT: Record<string, string> = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'octo-org/web-app',
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_SHA: '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_EVENT_NAME: 'push',
  RUNNER_TEMP: tmpdir(),
}

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Milliseconds from spawn to exit. */
  elapsedMs: number
  /** When the process exited (epoch ms), before its output was collected. */
  exitedAt: number
}

export interface RunOptions {
  /** Extra environment (proxy settings, NODE_EXTRA_CA_CERTS …). */
  env?: Record<string, string | undefined>
  /** Called once the process has started, e.g. to send it a signal later. */
  onSpawn?: (child: ChildProcess) => void
  /** Called with each chunk of stdout as it arrives. */
  onStdout?: (text: string) => void
  /** Another build of the action to run instead of dist/index.js (to compare two builds side by side). */
  bundle?: string
}

/** Parses the `name<<delimiter` blocks that @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name, delimiter] = match as unknown as [string, string, string]
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
    outputs[name] = value.join('\n')
  }
  return outputs
}

export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vela-action-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...WORKFLOW_CONTEXT,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...options.env,
  }
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  const started = Date.now()
  try {
    return await new Promise<ActionRun>((resolvePromise, reject) => {
      const child = spawn(ACTION_NODE, [options.bundle ?? BUNDLE], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        options.onStdout?.(chunk)
      })
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      let spawnError: Error | undefined
      let exitedAt = 0
      child.once('exit', () => {
        exitedAt = Date.now()
      })
      child.on('error', (error) => {
        spawnError = error
        reject(error)
      })
      child.on('close', (code, signal) => {
        // A Node that could not be started has written nothing, and its files are gone with the error.
        if (spawnError) return
        resolvePromise({
          code,
          signal,
          stdout,
          stderr,
          outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
          summary: readFileSync(summaryFile, 'utf8'),
          elapsedMs: exitedAt - started,
          exitedAt,
        })
      })
      options.onSpawn?.(child)
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The `::error::` annotation text the run printed (workflow-command escapes undone). */
export function errorAnnotation(run: ActionRun): string | undefined {
  const line = run.stdout.split('\n').find((l) => l.startsWith('::error::'))
  return line?.slice('::error::'.length).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** The runner's cancel: SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s after that, unless it exited. */
export const RUNNER_CANCEL = { sigtermAfterMs: 7_500, sigkillAfterMs: 2_500 } as const

/** Cancels the child as the runner does; resolves to the time SIGINT was sent (epoch ms). */
export function cancelLikeTheRunner(child: ChildProcess): number {
  const sentAt = Date.now()
  const exited = () => child.exitCode !== null || child.signalCode !== null
  child.kill('SIGINT')
  const term = setTimeout(() => {
    if (!exited()) child.kill('SIGTERM')
  }, RUNNER_CANCEL.sigtermAfterMs)
  const kill = setTimeout(() => {
    if (!exited()) child.kill('SIGKILL')
  }, RUNNER_CANCEL.sigtermAfterMs + RUNNER_CANCEL.sigkillAfterMs)
  child.once('exit', () => {
    clearTimeout(term)
    clearTimeout(kill)
  })
  return sentAt
}
