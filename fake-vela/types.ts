// Public types of the fake Vela server. Section numbers (§) refer to docs/vela-api.md.

/**
 * Which Vela the fake behaves like (docs/vela-api.md §1.10, read from go-vela/server at the tag named):
 * - 'v0.22' (v0.22.2 and older): deployments live only on GitHub, so `id` is the GitHub id and there is no
 *   number/created_at/created_by; `repo_id` and `user` instead of a nested repo; builds carry no
 *   `deploy_number` (only `source` = the deployment's API URL) and `repo_id`; the list shows up to 3 builds
 *   matched by `source`; no `…/config` route, no validation.
 * - 'v0.23-v0.25' (v0.25.3): deployments are stored in Vela's DB with `number`, `created_at`, `created_by`,
 *   `repo_id` and linked `builds`; builds carry `deploy_number` and a nested repo; GET …/:n looks `n` up as
 *   the row's database id and otherwise answers GitHub's copy (no number, no builds); no `…/config` route,
 *   no validation.
 * - 'v0.26+' (v0.28.8): a nested repo on deployments, GET …/:n by number, `…/config` and validation.
 */
export type VelaEra = 'v0.22' | 'v0.23-v0.25' | 'v0.26+'

export interface FakeVelaOptions {
  /** Default 'v0.26+'. */
  era?: VelaEra
  /** Path prefix every route lives under, e.g. '/vela' (default ''). */
  basePath?: string
  /** Web UI address for `build.link` (§3.3). Default 'https://vela.example.com'; null → link "". */
  webUiAddr?: string | null
  /** Lifetime of tokens minted by POST /authenticate/token (default 900 s, §2.1). */
  accessTokenTtlSeconds?: number
  /** Port on 127.0.0.1 (default: any free one). */
  port?: number
  /**
   * The fake's time, epoch ms (default Date.now). A test that runs the action on a virtual clock passes the
   * same clock, so tokens, webhooks and builds play out as the action sleeps rather than as real time passes.
   */
  now?: () => number
}

export interface DeploymentParameter {
  description?: string
  type?: string
  required?: boolean
  options?: string[]
  min?: number
  max?: number
}

/** The pipeline's `deployment:` block (§1.4). */
export interface DeploymentConfig {
  targets?: string[]
  parameters?: Record<string, DeploymentParameter>
}

export interface RepoOptions {
  /** repo.allow_events.deployment.created (default true). When false, the webhook is skipped (§1.8). */
  allowDeploymentCreated?: boolean
  /**
   * Refs GitHub can resolve → commit SHA. Keys are branch names ('main' or 'refs/heads/main'), tags
   * ('refs/tags/v1'; a bare 'v1' also resolves it) or 40-hex SHAs. A SHA that is a value here resolves to itself.
   * Default: { main: DEFAULT_COMMIT }; the default branch is main.
   */
  refs?: Record<string, string>
  /** Users with write access. Default: every user may write. The owner of a personal repo (org == user) always passes. */
  writers?: string[]
  /** Users with read-only access (only meaningful together with `writers`). */
  readers?: string[]
  /** The pipeline's `deployment:` block; validated on create (§1.4) and returned by GET …/config (§3.1). */
  deploymentConfig?: DeploymentConfig
  /** When set, GitHub rejects the deployment: 500 'unable to create new deployment for o/r: <text>' (§1.3 step 6). */
  githubFailure?: string
}

export type WebhookBehaviour =
  /** Normal delivery: honours allow_events, then creates the build (§3.2). */
  | 'deliver'
  /** GitHub never delivers the webhook: no hook record, no build. */
  | 'never'
  /** Every step skipped by rulesets: hook 'skipped' with a "skipping build …" error, no build (§1.8). */
  | 'skip-all-steps'

export interface BuildStepPlan {
  name: string
  /** Final status of the step once the build has finished. */
  status: string
  /** Log text; without it GET …/logs answers 404 (§3.6). */
  log?: string
  /** Default: 1 for 'failure', else 0. */
  exitCode?: number
  /** The pipeline stage the step belongs to; Vela sends '' for pipelines without stages. */
  stage?: string
  /**
   * How long the step runs. When steps give it, they run one after another from the build's `running`
   * (each with its own started/finished); otherwise every step before the current one has finished.
   */
  runMs?: number
}

export interface BuildPlan {
  /** Default 'deliver'. */
  webhook?: WebhookBehaviour
  /** Time between the 201 and the webhook creating the build (default 30 ms). */
  webhookDelayMs?: number
  /** Whether the build is appended to the deployment's `builds` (default true; v0.22 never). */
  linkToDeployment?: boolean
  /** Status changes measured from build creation (default pending@0, running@20, success@60). */
  timeline?: Array<{ status: string; afterMs: number }>
  /**
   * Default: init, clone, deploy with logs; the deploy step takes the build's final status when that status is
   * failure/error/killed/canceled, else all succeed.
   */
  steps?: BuildStepPlan[]
  /**
   * GitHub's webhook reaches Vela before the create handler stores the row (§1.8): the webhook stores the
   * deployment with the ref it normalised (and the build linked), and the create answers 500 because the row
   * exists. v0.23+ only (v0.22 stores no deployments).
   */
  webhookBeforeInsert?: boolean
  /** Other deployment builds on the same commit with other deploy_numbers, created just before ours (status failure). */
  extraBuildsOnCommit?: number
  /**
   * Our build fails at once, and GitHub delivers the deployment webhook again (a redelivery): Vela starts a
   * second build of the same deployment, which plays `timeline`, records a second hook and links it too.
   */
  redelivered?: boolean
}

export type Fault =
  /** Accept the request and never send headers. With afterHandling, the normal handler runs first (e.g. the deployment IS created). */
  | { kind: 'stall'; afterHandling?: boolean }
  /** Run the normal handler, send its headers, then its body one byte every intervalMs. */
  | { kind: 'trickle'; intervalMs: number }
  /** Run the normal handler (e.g. the deployment IS created), and send its answer only after delayMs. */
  | { kind: 'delay'; delayMs: number }
  /** Run the normal handler, then reset the connection without answering. */
  | { kind: 'reset-after-handling' }
  /** Answer with this status/body instead of (or, with afterHandling, after) the normal handling. */
  | {
      kind: 'status'
      status: number
      body?: string
      contentType?: string
      headers?: Record<string, string>
      afterHandling?: boolean
    }
  | { kind: 'redirect'; location: string; status?: number }
  /** 200 application/json body of that many bytes, streamed in chunks. */
  | { kind: 'oversized'; bytes: number }
  /** The normal status and headers, with the body cut in half (chunked encoding, clean end). */
  | { kind: 'truncated-json' }

export interface FaultMatch {
  /** HTTP method (any when left out). */
  method?: string
  /** Tested against the request path as received: basePath and query string included. */
  path: RegExp
}

export interface RecordedRequest {
  method: string
  /** As received: basePath and query string included. */
  path: string
  /** Lower-cased names; repeated headers joined with ', '. */
  headers: Record<string, string>
  body: string
  /** Date.now() when the request was complete. */
  time: number
  /** The status the fake sent (after any fault); undefined when no answer went out (stall, reset). */
  status?: number
}

/** A Vela API object as JSON (keys follow the server's Go structs). */
export type ApiObject = Record<string, unknown>

export interface ApiBuild {
  id: number
  /** Full repo from the build endpoints, `{id}` inside a deployment's `builds` and in hooks; absent in v0.22. */
  repo?: ApiObject
  /** v0.22 only. */
  repo_id?: number
  number: number
  event: string
  event_action: string
  status: string
  created: number
  started: number
  finished: number
  deploy: string
  /** Absent in v0.22, where only `source` ties a build to its deployment. */
  deploy_number?: number
  deploy_payload: Record<string, string>
  commit: string
  branch: string
  ref: string
  link: string
  [key: string]: unknown
}

export interface ApiDeployment {
  id: number
  /** GitHub deployment id (absent in v0.22 and on the GitHub fallback of GET, §3.1). */
  number?: number
  repo?: ApiObject
  repo_id?: number
  url: string
  commit: string
  ref: string
  task: string
  target: string
  description: string
  payload: Record<string, string>
  created_at?: number
  created_by?: string
  user?: string
  builds?: ApiBuild[]
  [key: string]: unknown
}

export interface ApiHook {
  id: number
  number: number
  event: string
  event_action: string
  status: string
  error: string
  created: number
  build?: ApiBuild
  [key: string]: unknown
}
