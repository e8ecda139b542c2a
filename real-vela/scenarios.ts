// What the suite asks of a real Vela, one scenario per thing a user meets. Each is written once and played
// twice: against a real server (real-vela.test.ts, with the GitHub and worker stand-ins) and, from what that
// recorded, against the fake Vela of the same era (__tests__/contract.test.ts).
import type { DeploymentConfig } from '../fake-vela/types.js'

export type Release = 'v0.22.2' | 'v0.25.3' | 'v0.28.8'
export const RELEASES: Release[] = ['v0.22.2', 'v0.25.3', 'v0.28.8']

/** The era of the fake Vela that models each release. */
export const ERA_OF = { 'v0.22.2': 'v0.22', 'v0.25.3': 'v0.23-v0.25', 'v0.28.8': 'v0.26+' } as const

/** Every repository belongs to this Vela user; its own personal access token runs most scenarios. */
export const OWNER = 'octocat'
/** A Vela user who may read the repositories but not write to them. */
export const READER = 'reader'
/** A Vela user with write access whose login Vela stored, and who has since revoked Vela's access on GitHub. */
export const REVOKED = 'revoked'

export type Credential =
  | 'owner-pat'
  | 'owner-vela-token'
  /** A personal access token GitHub does not know. */
  | 'unknown-pat'
  /** A Vela token signed with another server's key. */
  | 'foreign-vela-token'
  | 'reader-pat'
  | 'revoked-pat'

export interface PipelineStep {
  name: string
  status: 'success' | 'failure'
  log: string
}

export interface Scenario {
  name: string
  /** The releases it applies to (default all). */
  releases?: readonly Release[]
  credential: Credential
  /** The repository in Vela; false: it exists on GitHub but was never enabled in Vela. */
  repo?: false | { deployment?: DeploymentConfig; webhook?: 'after-answer' | 'before-answer' }
  /** The pipeline's steps after init and clone (default: one `deploy` that succeeds). */
  steps?: PipelineStep[]
  /** The build runs until it is cancelled. */
  hang?: boolean
  inputs: Record<string, string>
  /** The deployment is created before the action runs; the action follows it with `deployment`. */
  attach?: boolean
  /** A proxy between the action and Vela loses the create's answer after Vela has handled it. */
  loseCreateAnswer?: boolean
  /** Once the action has read the build running: the runner cancels the job, or someone cancels the build in Vela. */
  cancel?: 'runner' | 'vela'
  /**
   * The run asks for `environment-url`, with a token the GitHub stand-in takes. Only the run against a real
   * server can show it: there Vela posts its own statuses on the GitHub deployment, which the fake does not.
   */
  environmentUrl?: boolean
}

/** Longer than the tail the action shows of a failed step. */
const failingLog =
  Array.from({ length: 80 }, (_, i) => `deploy line ${i + 1}`).join('\n') + '\nError: rollout failed\n'

const V026 = ['v0.28.8'] as const

export const SCENARIOS: Scenario[] = [
  { name: 'create-with-pat', credential: 'owner-pat', inputs: { wait: 'false' } },
  { name: 'create-with-vela-token', credential: 'owner-vela-token', inputs: { wait: 'false' } },
  {
    name: 'wait-success',
    credential: 'owner-pat',
    inputs: { payload: 'region: eu-west-1\nreplicas: 3' },
  },
  {
    name: 'wait-failure',
    credential: 'owner-pat',
    steps: [{ name: 'deploy', status: 'failure', log: failingLog }],
    inputs: {},
  },
  {
    name: 'logs-all',
    credential: 'owner-pat',
    steps: [
      { name: 'migrate', status: 'success', log: 'migrated 3 tables\n' },
      { name: 'deploy', status: 'success', log: 'deployed v1.2.3\n' },
    ],
    inputs: { logs: 'all' },
  },
  { name: 'attach', credential: 'owner-pat', attach: true, inputs: {} },
  { name: 'environment-url', credential: 'owner-pat', environmentUrl: true, inputs: {} },
  { name: 'dry-run', credential: 'owner-pat', inputs: { 'dry-run': 'true' } },
  {
    name: 'cancel-on-job-cancel',
    credential: 'owner-pat',
    hang: true,
    cancel: 'runner',
    inputs: { 'cancel-build-on-abort': 'true' },
  },
  {
    name: 'cancel-on-wait-timeout',
    credential: 'owner-pat',
    hang: true,
    inputs: { 'cancel-build-on-abort': 'true', 'wait-timeout': '15s' },
  },
  { name: 'cancelled-in-vela', credential: 'owner-pat', hang: true, cancel: 'vela', inputs: {} },
  {
    name: 'target-not-allowed',
    releases: V026,
    credential: 'owner-pat',
    repo: { deployment: { targets: ['staging'] } },
    inputs: { target: 'production' },
  },
  {
    name: 'parameter-not-allowed',
    releases: V026,
    credential: 'owner-pat',
    repo: { deployment: { parameters: { region: { type: 'string', options: ['eu-west-1', 'us-east-1'] } } } },
    inputs: { payload: 'region: mars' },
  },
  { name: 'unknown-pat', credential: 'unknown-pat', inputs: {} },
  { name: 'foreign-vela-token', credential: 'foreign-vela-token', inputs: {} },
  { name: 'no-write-access', credential: 'reader-pat', inputs: {} },
  { name: 'repo-not-enabled', credential: 'owner-pat', repo: false, inputs: {} },
  { name: 'unknown-ref', credential: 'owner-pat', inputs: { ref: 'no-such-branch' } },
  { name: 'login-revoked', credential: 'revoked-pat', inputs: {} },
  { name: 'lost-create-answer', credential: 'owner-pat', loseCreateAnswer: true, inputs: {} },
  {
    name: 'webhook-before-create',
    credential: 'owner-pat',
    repo: { webhook: 'before-answer' },
    inputs: {},
  },
]

export function scenariosOf(release: Release): Scenario[] {
  return SCENARIOS.filter((s) => !s.releases || s.releases.includes(release))
}

export function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name)
  if (!scenario) throw new Error(`no scenario ${name}`)
  return scenario
}

export function stepsOf(scenario: Scenario): PipelineStep[] {
  return scenario.steps ?? [{ name: 'deploy', status: 'success', log: 'deployed\n' }]
}

/** Every deployment carries a parameter, so every build read shows one. */
export const PARAMETERS: Record<string, string> = { release: 'v1.2.3' }

/** The inputs of every run besides the scenario's own. */
export function actionInputs(scenario: Scenario, server: string, token: string): Record<string, string> {
  return {
    server,
    token,
    org: OWNER,
    repo: scenario.name,
    ref: 'main',
    target: 'production',
    payload: JSON.stringify(PARAMETERS),
    'poll-interval': '1s',
    'wait-timeout': '60s',
    ...scenario.inputs,
  }
}

/** The `.vela.yml` of the scenario's repository. */
export function pipelineOf(scenario: Scenario): string {
  const lines = ['version: "1"']
  const deployment = scenario.repo ? scenario.repo.deployment : undefined
  // JSON is YAML: the block as a flow mapping.
  if (deployment) lines.push(`deployment: ${JSON.stringify(deployment)}`)
  lines.push('steps:')
  for (const step of stepsOf(scenario)) {
    lines.push(`  - name: ${step.name}`, '    image: alpine:3', '    commands: ["echo"]')
  }
  return `${lines.join('\n')}\n`
}
