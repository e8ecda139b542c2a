import { readWorkflowContext, type WorkflowContext } from './workflow-context.js'
import { formatDuration, parseDuration } from '../shared/duration.js'
import { InputError } from '../shared/errors.js'
import { Input, type InputName } from './names.js'
import type { ParsedPayload } from './payload.js'
import { quote } from '../shared/safe-text.js'
import type { Job } from '../runner/job.js'
import type { Credential } from '../vela/auth.js'
import { looksLikeJwt, readJwtClaims } from '../vela/jwt.js'

/** Everything the action needs, read and validated once; nothing else reads inputs. */
export interface Settings {
  /** Vela API address without a trailing slash; may carry a path prefix. */
  server: string
  credential: Credential
  org: string
  repo: string
  /** Undefined: not sent, so Vela uses the repository's default branch. */
  ref: string | undefined
  target: string
  task: string
  description: string
  parameters: Record<string, string>
  /** What the user should know about the inputs, shown before anything is sent. */
  warnings: string[]
  dryRun: boolean
  wait: boolean
  waitTimeoutMs: number
  pollIntervalMs: number
  requestTimeoutMs: number
  /** Vela web UI address, for links the server does not send. */
  uiUrl: string | undefined
  /** Which step logs the wait shows. */
  logs: LogsMode
  /** An existing deployment's number: follow its build instead of creating one. */
  deployment: number | undefined
  /** Cancel the build in Vela when the job is cancelled or `wait-timeout` passes. */
  cancelBuildOnAbort: boolean
  /** The deployed environment's address, posted on Vela's GitHub deployment once the build succeeded. */
  environmentUrl: string | undefined
  /** How to reach GitHub's API; set only with `environmentUrl`, the one thing the action asks GitHub. */
  github: { token: string; apiUrl: string } | undefined
}

export const LOGS_MODES = ['failed', 'all', 'none'] as const
export type LogsMode = (typeof LOGS_MODES)[number]

/** The target and task when none is given, as action.yml has them. */
export const DEFAULT_TARGET = 'production'
export const DEFAULT_TASK = 'deploy:vela'

// Vela stores ref, target and task in VARCHAR(500) and description in VARCHAR(2500).
const MAX_FIELD = 500
const MAX_DESCRIPTION = 2500
// GitHub owner and repository names: letters, digits, '-', '_' and '.', never '.' or '..'.
const NAME = /^[A-Za-z0-9_.-]{1,100}$/
const SECOND = 1_000
const DURATION_LIMITS = {
  [Input.waitTimeout]: { min: SECOND, max: 7 * 24 * 3600 * SECOND },
  [Input.pollInterval]: { min: SECOND, max: 3600 * SECOND },
  [Input.requestTimeout]: { min: SECOND, max: 600 * SECOND },
} as const

/** Reads the inputs the runner passed in an environment. */
interface Inputs {
  /** The input exactly as the runner passed it. */
  raw(name: InputName): string
  /** An input with surrounding whitespace trimmed, as `core.getInput` reads it. */
  read(name: InputName): string
}

/** INPUT_<NAME>: the name uppercased, spaces as '_', hyphens kept, as the runner sets it. */
function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

function inputsOf(env: NodeJS.ProcessEnv): Inputs {
  const raw = (name: InputName) => env[inputVariable(name)] ?? ''
  return { raw, read: (name) => raw(name).trim() }
}

/**
 * A block of text (the payload) with the common indentation of its non-blank lines removed. Trimming
 * the whole value, as `core.getInput` does, takes the indentation off the first line only, so a
 * uniformly indented block would no longer line up; nested `key: |` blocks keep their relative indent.
 */
function readBlock(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0)
  const common = Math.min(...indents)
  return lines
    .map((line) => line.slice(Math.min(common, line.length)))
    .join('\n')
    .replace(/^(\s*\n)+/, '')
    .trimEnd()
}

function required(inputs: Inputs, name: InputName): string {
  const value = inputs.read(name)
  if (value === '') throw new InputError(name, 'is required and was not supplied')
  return value
}

function readBoolean(inputs: Inputs, name: InputName, fallback: boolean): boolean {
  const value = inputs.read(name)
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(name, `expected true or false, got ${quote(value)}`)
}

function readDuration(inputs: Inputs, name: keyof typeof DURATION_LIMITS, fallback: string): number {
  const value = inputs.read(name) || fallback
  const ms = parseDuration(value)
  if (ms === undefined) {
    throw new InputError(
      name,
      `expected a duration such as 90s, 15m, 1h or 1h30m, or a number of seconds; got ${quote(value)}`,
    )
  }
  const { min, max } = DURATION_LIMITS[name]
  if (ms < min || ms > max) {
    throw new InputError(
      name,
      `must be between ${formatDuration(min)} and ${formatDuration(max)}; got ${quote(value)}`,
    )
  }
  return ms
}

/** A deployment number: GitHub's deployment id, a positive integer. */
function readDeploymentNumber(inputs: Inputs): number | undefined {
  const value = inputs.read(Input.deployment)
  if (value === '') return undefined
  const number = /^[0-9]{1,16}$/.test(value) ? Number(value) : 0
  if (number < 1 || !Number.isSafeInteger(number)) {
    throw new InputError(
      Input.deployment,
      `expected the number of an existing deployment (a positive whole number, such as the 'number' output of the job that created it), got ${quote(value)}`,
    )
  }
  return number
}

/**
 * The inputs given to describe a deployment to create, which following an existing one cannot use. The
 * runner passes action.yml's defaults as if given, so a target or task counts only when it differs from them.
 */
function inputsForCreating(inputs: Inputs, wait: boolean): InputName[] {
  const given: InputName[] = [Input.ref, Input.description, Input.payload].filter(
    (name) => inputs.read(name) !== '',
  )
  if (![DEFAULT_TARGET, ''].includes(inputs.read(Input.target))) given.push(Input.target)
  if (![DEFAULT_TASK, ''].includes(inputs.read(Input.task))) given.push(Input.task)
  if (!wait) given.push(Input.wait)
  return given
}

function ignoredWhenFollowing(inputs: InputName[]): string[] {
  if (inputs.length === 0) return []
  const names = inputs.map((name) => `'${name}'`).join(', ')
  return [
    `${names} ${inputs.length === 1 ? 'is' : 'are'} ignored: with '${Input.deployment}' set, the action creates nothing and follows that deployment's build`,
  ]
}

/** GitHub shows it to everyone who can see the repository, and a browser opens it: an http(s) page. */
function readEnvironmentUrl(inputs: Inputs, followsTheBuild: boolean): string | undefined {
  const value = inputs.read(Input.environmentUrl)
  if (value === '') return undefined
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || /[\s\p{Cc}]/u.test(value)) {
    throw new InputError(Input.environmentUrl, `expected an http:// or https:// address, got ${quote(value)}`)
  }
  if (url.username || url.password) {
    throw new InputError(
      Input.environmentUrl,
      'must not carry credentials: GitHub shows it to everyone who can see the repository',
    )
  }
  if (!followsTheBuild) {
    throw new InputError(
      Input.environmentUrl,
      `is posted on GitHub once the build succeeded, which the action sees only when it waits; set '${Input.wait}' to true`,
    )
  }
  return value
}

function readGitHubToken(inputs: Inputs, job: Pick<Job, 'mask'>): string {
  const token = inputs.read(Input.githubToken)
  if (token === '') {
    throw new InputError(
      Input.githubToken,
      `is required with '${Input.environmentUrl}'; its default is the job's own token, \${{ github.token }}`,
    )
  }
  job.mask(token)
  if (/\s/.test(token) || !/^[\x21-\x7e]+$/.test(token)) {
    throw new InputError(Input.githubToken, 'must be a single line of printable ASCII characters')
  }
  return token
}

function readText(inputs: Inputs, name: InputName, fallback: string, maxLength: number): string {
  // Text pasted from Windows ends lines with CRLF; Vela gets plain newlines.
  const value = inputs.read(name).replace(/\r\n/g, '\n') || fallback
  if (/[\p{Cc}]/u.test(value.replace(name === Input.description ? /[\n\t]/g : /\t/g, ''))) {
    throw new InputError(name, 'must not contain control characters')
  }
  if (value.length > maxLength) {
    throw new InputError(name, `is ${value.length} characters long; Vela stores at most ${maxLength}`)
  }
  return value
}

function readChoice<T extends string>(
  inputs: Inputs,
  name: InputName,
  choices: readonly T[],
  fallback: T,
): T {
  const value = inputs.read(name)
  if (value === '') return fallback
  const choice = choices.find((c) => c === value)
  if (choice === undefined) {
    throw new InputError(name, `expected one of ${choices.join(', ')}; got ${quote(value)}`)
  }
  return choice
}

function readHttpUrl(name: InputName, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(name, `expected an http:// or https:// address, got ${quote(value)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(name, `expected an http:// or https:// address, got ${quote(value)}`)
  }
  if (url.username || url.password) {
    throw new InputError(name, 'must not carry credentials; pass the token in the token input')
  }
  // A bare '?' or '#' leaves search and hash empty, yet would end up in every request path.
  if (url.search || url.hash || /[?#]/.test(value)) {
    throw new InputError(name, 'must not have a query string or fragment')
  }
  return url.href.replace(/\/+$/, '')
}

function readName(inputs: Inputs, name: InputName, fallback: string | undefined): string {
  const value = inputs.read(name) || fallback
  if (value === undefined) {
    throw new InputError(name, 'is required outside a GitHub workflow (GITHUB_REPOSITORY is not set)')
  }
  if (!NAME.test(value) || value === '.' || value === '..') {
    throw new InputError(
      name,
      `expected a GitHub ${name === Input.org ? 'owner' : 'repository'} name (letters, digits, '-', '_', '.'), got ${quote(value)}`,
    )
  }
  return value
}

function readCredential(token: string, now: Date): Credential {
  if (/\s/.test(token) || !/^[\x21-\x7e]+$/.test(token)) {
    throw new InputError(Input.token, 'must be a single line of printable ASCII characters')
  }
  if (token.startsWith('ghs_')) {
    throw new InputError(
      Input.token,
      "is a GitHub App installation token (ghs_…), such as the workflow's GITHUB_TOKEN, which Vela does not accept (it takes only installation tokens it minted itself); pass a personal access token of a Vela user",
    )
  }
  if (!looksLikeJwt(token)) return { kind: 'personal-access-token', token }
  const claims = readJwtClaims(token)
  if (!claims) {
    throw new InputError(
      Input.token,
      'looks like a JWT but its claims cannot be read; pass a Vela access token or a GitHub personal access token',
    )
  }
  if (claims.token_type !== undefined && claims.token_type !== 'UserAccess') {
    throw new InputError(
      Input.token,
      `is a Vela ${claims.token_type} token; Vela accepts only UserAccess tokens here (or pass a GitHub personal access token)`,
    )
  }
  const expiresAt = claims.exp === undefined ? undefined : new Date(claims.exp * 1_000)
  if (expiresAt && expiresAt <= now) {
    throw new InputError(
      Input.token,
      `the Vela access token expired at ${expiresAt.toISOString()}; Vela access tokens live about 15 minutes, so pass a GitHub personal access token of a Vela user instead and the action exchanges it for a fresh one`,
    )
  }
  return { kind: 'vela-token', token, user: claims.sub, expiresAt }
}

function defaultDescription(context: WorkflowContext): string {
  if (!context.runUrl) return 'Deployment from GitHub Actions'
  return `Deployed by GitHub Actions workflow ${context.workflow ? `"${context.workflow}" ` : ''}(${context.runUrl})`
}

/** What a create sends: read only when the run creates a deployment. */
type CreateRequest = Pick<Settings, 'ref' | 'target' | 'task' | 'description' | 'parameters' | 'warnings'>

/**
 * Following a deployment sends none of these; the inputs given for them are not even read (a bad one must not
 * fail the run), only named in a warning.
 */
const NOTHING_TO_CREATE: Omit<CreateRequest, 'warnings'> = {
  ref: undefined,
  target: DEFAULT_TARGET,
  task: DEFAULT_TASK,
  description: '',
  parameters: {},
}

/** Reads the `payload` input (src/inputs/payload.ts); blank text is no parameters. */
export type PayloadParser = (text: string) => ParsedPayload

function readCreateRequest(
  inputs: Inputs,
  context: WorkflowContext,
  { org, repo }: { org: string; repo: string },
  parsePayload: PayloadParser,
): CreateRequest {
  const deploysCurrentRepository =
    context.repository !== undefined &&
    `${org}/${repo}`.toLowerCase() === `${context.repository.owner}/${context.repository.repo}`.toLowerCase()
  const ref =
    readText(inputs, Input.ref, deploysCurrentRepository ? (context.ref ?? '') : '', MAX_FIELD) || undefined
  const target = readText(inputs, Input.target, DEFAULT_TARGET, MAX_FIELD)
  const task = readText(inputs, Input.task, DEFAULT_TASK, MAX_FIELD)
  const description = readText(inputs, Input.description, defaultDescription(context), MAX_DESCRIPTION)
  const { parameters, warnings } = parsePayload(readBlock(inputs.raw(Input.payload)))
  return { ref, target, task, description, parameters, warnings }
}

/** The deployment to follow instead of creating one; a dry run cannot follow. */
function readDeploymentToFollow(inputs: Inputs, dryRun: boolean): number | undefined {
  const deployment = readDeploymentNumber(inputs)
  if (deployment !== undefined && dryRun) {
    throw new InputError(
      Input.deployment,
      `follows an existing deployment, which a dry run cannot do; set '${Input.dryRun}' to false or leave '${Input.deployment}' empty`,
    )
  }
  return deployment
}

/**
 * getSettings, with the YAML parser loaded first only when there is a payload to parse: it is a fifth of the
 * bundle, most runs send none, and loading it costs a create about a tenth of its start (CONTRIBUTING,
 * Performance).
 */
export async function readSettings(
  now: number,
  env: NodeJS.ProcessEnv,
  job: Pick<Job, 'mask'>,
): Promise<Settings> {
  const payloadGiven = readBlock(inputsOf(env).raw(Input.payload)) !== ''
  const parsePayload: PayloadParser = payloadGiven
    ? (await import('./payload.js')).parsePayload
    : () => ({ parameters: {}, warnings: [] })
  return getSettings(now, env, job, parsePayload)
}

/**
 * Reads and validates every input from the runner's environment. Masks the token before anything else can
 * print it. Throws InputError, naming the input, for the first problem found.
 */
export function getSettings(
  now: number,
  env: NodeJS.ProcessEnv,
  job: Pick<Job, 'mask'>,
  parsePayload: PayloadParser,
): Settings {
  const inputs = inputsOf(env)
  const token = inputs.read(Input.token)
  if (token !== '') job.mask(token)
  const context = readWorkflowContext(env)

  const server = readHttpUrl(Input.server, required(inputs, Input.server))
  if (token === '') throw new InputError(Input.token, 'is required and was not supplied')
  const credential = readCredential(token, new Date(now))
  const org = readName(inputs, Input.org, context.repository?.owner)
  const repo = readName(inputs, Input.repo, context.repository?.repo)
  const dryRun = readBoolean(inputs, Input.dryRun, false)
  const deployment = readDeploymentToFollow(inputs, dryRun)
  const wait = readBoolean(inputs, Input.wait, true)
  const create =
    deployment === undefined
      ? readCreateRequest(inputs, context, { org, repo }, parsePayload)
      : { ...NOTHING_TO_CREATE, warnings: ignoredWhenFollowing(inputsForCreating(inputs, wait)) }
  const uiUrlText = inputs.read(Input.uiUrl)
  const environmentUrl = readEnvironmentUrl(inputs, wait || deployment !== undefined)
  return {
    server,
    credential,
    org,
    repo,
    ...create,
    dryRun,
    wait,
    waitTimeoutMs: readDuration(inputs, Input.waitTimeout, '30m'),
    pollIntervalMs: readDuration(inputs, Input.pollInterval, '10s'),
    requestTimeoutMs: readDuration(inputs, Input.requestTimeout, '30s'),
    uiUrl: uiUrlText === '' ? undefined : readHttpUrl(Input.uiUrl, uiUrlText),
    logs: readChoice(inputs, Input.logs, LOGS_MODES, 'failed'),
    deployment,
    cancelBuildOnAbort: readBoolean(inputs, Input.cancelBuildOnAbort, false),
    environmentUrl,
    github:
      environmentUrl === undefined
        ? undefined
        : { token: readGitHubToken(inputs, job), apiUrl: context.apiUrl },
  }
}
