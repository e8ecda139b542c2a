// What the fake Vela server (and the GitHub behind it) holds, and how each record renders as JSON.
// Time-dependent state (webhook delivery, build status, links) is computed from timestamps when read,
// so no timers keep the process alive.
import { randomUUID } from 'node:crypto'
import { sortedMap } from './go.js'
import type {
  ApiBuild,
  ApiDeployment,
  ApiHook,
  ApiObject,
  BuildPlan,
  BuildStepPlan,
  RepoOptions,
  VelaEra,
} from './types.js'

/** The commit the default branch resolves to (the one in go-vela's mock deployment response). */
export const DEFAULT_COMMIT = '14c8b131c0c5e1489811bd64c755a9b6f74c792b'
/** First GitHub deployment id handed out (the number in go-vela's mock deployment response); later ones increment. */
export const FIRST_GITHUB_DEPLOYMENT_ID = 744479
/** §3.4 */
export const TERMINAL_STATUSES = new Set(['success', 'failure', 'error', 'canceled', 'killed'])
export const DEFAULT_TIMELINE = [
  { status: 'pending', afterMs: 0 },
  { status: 'running', afterMs: 20 },
  { status: 'success', afterMs: 60 },
]
/** Webhook error text (§1.8; from api/build/skip.go). */
const SKIP_ALL_STEPS_ERROR =
  'skipping build since only init and clone steps found — it is likely no rulesets matched for the webhook payload'

export interface UserRecord {
  id: number
  name: string
  /** GitHub no longer accepts the OAuth token Vela stored at the user's last login. */
  loginRevoked?: boolean
}

export interface RepoRecord {
  id: number
  org: string
  name: string
  fullName: string
  owner: { id: number; name: string }
  allowDeploymentCreated: boolean
  /** The default branch. */
  branch: string
  refs: Record<string, string>
  options: RepoOptions
  /** Last build number (repo.counter). */
  counter: number
  hookCounter: number
  webhookId: number
  plan: BuildPlan
}

/** A deployment as GitHub holds it (§1.3 step 6). */
export interface GithubDeployment {
  number: number
  repo: RepoRecord
  url: string
  commit: string
  ref: string
  task: string
  target: string
  description: string
  payload: Record<string, string>
  creator: string
  createdAt: number
}

/** A row of Vela's deployments table (v0.23+). */
export interface DeploymentRow {
  id: number
  gh: GithubDeployment
  createdAt: number
  createdBy: string
  /** v0.23–v0.25: the webhook stored the row first, and with it no parameters (§1.10). */
  payloadLost?: boolean
  /** Builds the webhook appended. */
  links: BuildRecord[]
}

export interface StepRecord {
  id: number
  number: number
  name: string
  status: string
  exitCode: number
  log: string | undefined
  logId: number
  stage: string
  runMs: number | undefined
}

export interface BuildRecord {
  id: number
  repo: RepoRecord
  number: number
  pipelineId: number
  createdMs: number
  timeline: TimelineEntry[]
  steps: StepRecord[]
  /** Who cancelled the build while it ran on a worker (its `error` then says so). */
  canceledBy?: string
  deployNumber: number
  target: string
  payload: Record<string, string>
  source: string
  message: string
  commit: string
  sender: string
  senderScmId: string
  branch: string
  ref: string
}

export interface HookRecord {
  id: number
  repo: RepoRecord
  number: number
  sourceId: string
  createdMs: number
  branch: string
  status: 'success' | 'failure' | 'skipped'
  error: string
  build?: BuildRecord
}

export interface StepState {
  step: StepRecord
  status: string
  exitCode: number
  /** The step has finished (its log can be read). */
  done: boolean
  started: number
  finished: number
}

type TimelineEntry = { status: string; afterMs: number }

interface PendingWebhook {
  dueMs: number
  seq: number
  gh: GithubDeployment
  plan: BuildPlan
}

export interface StoreSettings {
  era: VelaEra
  webUiAddr: string | null
}

const seconds = (ms: number) => Math.floor(ms / 1000)
const isFullSha = (ref: string) => /^[0-9a-f]{40}$/i.test(ref)

export class Store {
  readonly users = new Map<string, UserRecord>()
  /** GitHub PAT → GitHub login. */
  readonly pats = new Map<string, string>()
  readonly repos = new Map<string, RepoRecord>()
  readonly github: GithubDeployment[] = []
  readonly deployments: DeploymentRow[] = []
  readonly builds: BuildRecord[] = []
  readonly hooks: HookRecord[] = []
  private readonly pending: PendingWebhook[] = []
  private readonly ids = {
    user: 0,
    repo: 0,
    deployment: 0,
    build: 0,
    step: 0,
    log: 0,
    hook: 0,
    pipeline: 0,
    seq: 0,
  }
  private nextGithubId = FIRST_GITHUB_DEPLOYMENT_ID

  constructor(private readonly settings: StoreSettings) {}

  // ---- set-up ----

  addUser(name: string): UserRecord {
    const user = { id: ++this.ids.user, name }
    this.users.set(name, user)
    return user
  }

  addRepo(org: string, name: string, options: RepoOptions): RepoRecord {
    const id = ++this.ids.repo
    const branch = 'main'
    const repo: RepoRecord = {
      id,
      org,
      name,
      fullName: `${org}/${name}`,
      owner: { id: this.users.get(org)?.id ?? id, name: org },
      allowDeploymentCreated: options.allowDeploymentCreated ?? true,
      branch,
      refs: options.refs ?? { [branch]: DEFAULT_COMMIT },
      options,
      counter: 0,
      hookCounter: 0,
      webhookId: 4200000 + id,
      plan: {},
    }
    this.repos.set(repo.fullName, repo)
    return repo
  }

  /** GitHub's ref resolution: branch, refs/heads/x, refs/tags/x (or bare tag name), or a known full SHA. */
  resolveRef(repo: RepoRecord, ref: string): string | undefined {
    const refs = repo.refs
    if (Object.hasOwn(refs, ref)) return refs[ref]
    if (ref.startsWith('refs/heads/')) return refs[ref.slice('refs/heads/'.length)]
    if (isFullSha(ref)) return Object.values(refs).find((sha) => sha.toLowerCase() === ref.toLowerCase())
    if (!ref.startsWith('refs/')) return refs[`refs/heads/${ref}`] ?? refs[`refs/tags/${ref}`]
    return undefined
  }

  // ---- GitHub ----

  createGithubDeployment(
    fields: Omit<GithubDeployment, 'number' | 'url'>,
    nowMs: number,
    plan: BuildPlan,
  ): GithubDeployment {
    const number = this.nextGithubId++
    const url = `https://api.github.com/repos/${fields.repo.fullName}/deployments/${number}`
    const gh: GithubDeployment = { ...fields, number, url }
    this.github.push(gh)
    // GitHub then sends the deployment webhook (§1.3, last bullet); in the race of §1.8 it arrives at once.
    const delayMs = plan.webhookBeforeInsert ? 0 : (plan.webhookDelayMs ?? 30)
    this.pending.push({ dueMs: nowMs + delayMs, seq: ++this.ids.seq, gh, plan })
    return gh
  }

  insertDeployment(gh: GithubDeployment, createdBy: string, createdAt: number): DeploymentRow {
    const row: DeploymentRow = { id: ++this.ids.deployment, gh, createdAt, createdBy, links: [] }
    this.deployments.push(row)
    return row
  }

  // ---- webhook (§3.2) ----

  /** Delivers every webhook that is due by `nowMs`, oldest first. */
  settle(nowMs: number): void {
    const due = this.pending
      .filter((p) => p.dueMs <= nowMs)
      .sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq)
    for (const p of due) {
      this.pending.splice(this.pending.indexOf(p), 1)
      this.deliverWebhook(p)
    }
  }

  private deliverWebhook({ gh, plan, dueMs }: PendingWebhook): void {
    const behaviour = plan.webhook ?? 'deliver'
    if (behaviour === 'never') return
    const repo = gh.repo
    // scm/github/webhook.go processDeploymentEvent: branch = the ref; a ref without refs/ gets refs/heads/.
    const branch = gh.ref
    const ref = branch.startsWith('refs/') ? branch : `refs/heads/${branch}`

    const rejected = this.webhookRejection(gh, plan)
    if (rejected) {
      this.addHook(repo, dueMs, branch, rejected.status, rejected.error)
      return
    }

    const extras = plan.extraBuildsOnCommit ?? 0
    for (let i = 0; i < extras; i++) {
      // Builds of other deployments of the same commit, created just before ours.
      const other = this.createBuild(gh, branch, ref, {
        deployNumber: this.nextGithubId++,
        createdMs: dueMs - (extras - i),
        timeline: [{ status: 'failure', afterMs: 0 }],
        steps: undefined,
      })
      this.addHook(repo, other.createdMs, branch, 'success', '', other)
    }
    const timeline = plan.timeline ?? DEFAULT_TIMELINE
    const failed: TimelineEntry[] = [{ status: 'failure', afterMs: 0 }]
    const builds = (plan.redelivered ? [failed, timeline] : [timeline]).map((played, i, all) => {
      const build = this.createBuild(gh, branch, ref, {
        deployNumber: gh.number,
        createdMs: dueMs,
        timeline: played,
        steps: i === all.length - 1 ? plan.steps : undefined,
      })
      this.addHook(repo, dueMs, branch, 'success', '', build)
      return build
    })

    // api/webhook/post.go appends the build to the deployment row, or stores the row with the build when
    // the create handler has not yet (v0.23+): with the ref as GitHub sent it, and before v0.26 without
    // the parameters.
    if (this.settings.era === 'v0.22') return
    const link = plan.linkToDeployment ?? true
    let row = this.deployments.find((d) => d.gh === gh)
    if (!row) {
      row = this.insertDeployment(gh, gh.creator, seconds(dueMs))
      row.payloadLost = this.settings.era === 'v0.23-v0.25'
    }
    if (link) row.links.push(...builds)
  }

  /** Why the webhook creates no build, as its hook record says (§1.8); undefined when it does. */
  private webhookRejection(
    gh: GithubDeployment,
    plan: BuildPlan,
  ): Pick<HookRecord, 'status' | 'error'> | undefined {
    if (!gh.repo.allowDeploymentCreated) {
      const error = `unable to process webhook: ${gh.repo.fullName} does not have deployment:created event enabled`
      return { status: 'skipped', error }
    }
    if (plan.webhook === 'skip-all-steps') return { status: 'skipped', error: SKIP_ALL_STEPS_ERROR }
    return undefined
  }

  private createBuild(
    gh: GithubDeployment,
    branch: string,
    ref: string,
    spec: {
      deployNumber: number
      createdMs: number
      timeline: TimelineEntry[]
      steps: BuildStepPlan[] | undefined
    },
  ): BuildRecord {
    const repo = gh.repo
    const timeline = [...spec.timeline].sort((a, b) => a.afterMs - b.afterMs)
    const finalStatus = timeline.at(-1)?.status ?? 'pending'
    const build: BuildRecord = {
      id: ++this.ids.build,
      repo,
      number: ++repo.counter,
      pipelineId: ++this.ids.pipeline,
      createdMs: spec.createdMs,
      timeline,
      steps: [],
      deployNumber: spec.deployNumber,
      target: gh.target,
      payload: gh.payload,
      source: `https://api.github.com/repos/${repo.fullName}/deployments/${spec.deployNumber}`,
      message: gh.description,
      commit: gh.commit,
      sender: gh.creator,
      senderScmId: String(10000 + (this.users.get(gh.creator)?.id ?? 0)),
      branch,
      ref,
    }
    const steps = spec.steps ?? defaultSteps(repo, gh.target, finalStatus)
    build.steps = steps.map((s, i) => ({
      id: ++this.ids.step,
      number: i + 1,
      name: s.name,
      status: s.status,
      exitCode: s.exitCode ?? (s.status === 'failure' ? 1 : 0),
      log: s.log,
      logId: ++this.ids.log,
      stage: s.stage ?? '',
      runMs: s.runMs,
    }))
    this.builds.push(build)
    return build
  }

  /** What DELETE /api/v1/repos/:org/:repo/builds/:build does: the row is gone, and with it the link. */
  deleteBuild(repo: RepoRecord, number: number): boolean {
    const index = this.builds.findIndex((b) => b.repo === repo && b.number === number)
    if (index < 0) return false
    const [build] = this.builds.splice(index, 1)
    for (const row of this.deployments) row.links = row.links.filter((linked) => linked !== build)
    return true
  }

  private addHook(
    repo: RepoRecord,
    createdMs: number,
    branch: string,
    status: HookRecord['status'],
    error: string,
    build?: BuildRecord,
  ) {
    const record: HookRecord = {
      id: ++this.ids.hook,
      repo,
      number: ++repo.hookCounter,
      sourceId: randomUUID(),
      createdMs,
      branch,
      status,
      error,
    }
    if (build) record.build = build
    this.hooks.push(record)
  }

  // ---- build status over time (§3.4) ----

  /** Cuts the build's timeline at `nowMs` with the status canceled, as DELETE …/cancel does. */
  cancelBuild(build: BuildRecord, nowMs: number, by: string | undefined): void {
    const elapsed = nowMs - build.createdMs
    build.timeline = [
      ...build.timeline.filter((t) => t.afterMs <= elapsed),
      { status: 'canceled', afterMs: elapsed },
    ]
    build.canceledBy = by
  }

  buildState(build: BuildRecord, nowMs: number): { status: string; started: number; finished: number } {
    const elapsed = nowMs - build.createdMs
    let status = 'pending'
    let started = 0
    let finished = 0
    for (const step of build.timeline) {
      if (step.afterMs > elapsed) break
      status = step.status
      const at = seconds(build.createdMs + step.afterMs)
      if (status !== 'pending' && status !== 'pending approval' && started === 0) started = at
      if (TERMINAL_STATUSES.has(status) && finished === 0) finished = at
    }
    return { status, started, finished }
  }

  /** Steps as they look now: planned results once the build finished; while running, the first unfinished step runs. */
  stepStates(build: BuildRecord, nowMs: number): StepState[] {
    const { status, started, finished } = this.buildState(build, nowMs)
    if (build.steps.some((step) => step.runMs !== undefined) && started !== 0) {
      return this.timedStepStates(build, nowMs, TERMINAL_STATUSES.has(status))
    }
    if (TERMINAL_STATUSES.has(status)) {
      return build.steps.map((step) => ({
        step,
        status: step.status,
        exitCode: step.exitCode,
        done: true,
        started,
        finished,
      }))
    }
    const pending = { status: 'pending', exitCode: 0, done: false, started: 0, finished: 0 }
    if (status !== 'running') return build.steps.map((step) => ({ step, ...pending }))
    const firstUnsuccessful = build.steps.findIndex((s) => s.status !== 'success')
    const current = firstUnsuccessful === -1 ? build.steps.length - 1 : firstUnsuccessful
    return build.steps.map((step, i) => {
      if (i < current)
        return { step, status: step.status, exitCode: step.exitCode, done: true, started, finished: started }
      if (i === current) return { step, status: 'running', exitCode: 0, done: false, started, finished: 0 }
      return { step, ...pending }
    })
  }

  /** Steps run one after another from the build's `running`, each for its runMs (default 0). */
  private timedStepStates(build: BuildRecord, nowMs: number, buildEnded: boolean): StepState[] {
    const runningAt = build.timeline.find((entry) => entry.status === 'running')?.afterMs ?? 0
    let at = build.createdMs + runningAt
    return build.steps.map((step) => {
      const from = at
      const to = from + (step.runMs ?? 0)
      at = to
      if (nowMs >= to || buildEnded) {
        return {
          step,
          status: step.status,
          exitCode: step.exitCode,
          done: true,
          started: seconds(from),
          finished: seconds(Math.min(to, nowMs)),
        }
      }
      if (nowMs >= from) {
        return { step, status: 'running', exitCode: 0, done: false, started: seconds(from), finished: 0 }
      }
      return { step, status: 'pending', exitCode: 0, done: false, started: 0, finished: 0 }
    })
  }

  // ---- JSON (api/types; key order follows the Go structs) ----

  repoJson(repo: RepoRecord): ApiObject {
    const current = this.settings.era === 'v0.26+'
    return {
      id: repo.id,
      owner: { id: repo.owner.id, name: repo.owner.name, active: true },
      org: repo.org,
      name: repo.name,
      full_name: repo.fullName,
      link: `https://github.com/${repo.fullName}`,
      clone: `https://github.com/${repo.fullName}.git`,
      branch: repo.branch,
      topics: [],
      build_limit: 10,
      timeout: 30,
      counter: repo.counter,
      ...since(current, { hook_counter: repo.hookCounter }),
      visibility: 'private',
      private: true,
      trusted: false,
      active: true,
      allow_events: {
        push: { branch: true, tag: true, delete_branch: false, delete_tag: false },
        pull_request: {
          opened: false,
          edited: false,
          synchronize: false,
          reopened: false,
          labeled: false,
          unlabeled: false,
        },
        deployment: { created: repo.allowDeploymentCreated },
        comment: { created: false, edited: false },
        schedule: { run: false },
      },
      ...since(current, { merge_queue_events: null }),
      pipeline_type: 'yaml',
      previous_name: '',
      approve_build: 'fork-always',
      ...since(current, { approval_timeout: 7, install_id: 0, custom_props: null }),
    }
  }

  /** `repo`: 'full' from build endpoints, 'id' inside a deployment's builds and hooks. */
  buildJson(build: BuildRecord, nowMs: number, repo: 'full' | 'id'): ApiBuild {
    const { status, started, finished } = this.buildState(build, nowMs)
    const created = seconds(build.createdMs)
    const onWorker = started !== 0
    const ui = this.settings.webUiAddr
    const era = this.settings.era
    const legacy = era === 'v0.22'
    // Inside a deployment's builds, v0.23–v0.25 still send the older build: repo by id, no sender_scm_id.
    const older = legacy || (repo === 'id' && era === 'v0.23-v0.25')
    const repoField: ApiObject = older
      ? { repo_id: build.repo.id }
      : { repo: repo === 'full' ? this.repoJson(build.repo) : { id: build.repo.id } }
    // Fields later releases added, as recorded from v0.22.2, v0.25.3 and v0.28.8.
    const current = era === 'v0.26+'
    return {
      id: build.id,
      ...repoField,
      pipeline_id: build.pipelineId,
      number: build.number,
      parent: 0,
      event: 'deployment',
      event_action: 'created',
      status,
      error: build.canceledBy ? `${current ? 'running ' : ''}build was canceled by ${build.canceledBy}` : '',
      enqueued: created,
      created,
      started,
      finished,
      deploy: build.target,
      // types v0.23.0 added deploy_number; before, `source` alone names the deployment.
      ...(legacy ? {} : { deploy_number: build.deployNumber }),
      deploy_payload: sortedMap(build.payload),
      clone: `https://github.com/${build.repo.fullName}.git`,
      source: build.source,
      title: `deployment received from https://github.com/${build.repo.fullName}`,
      message: build.message,
      commit: build.commit,
      sender: build.sender,
      ...since(!older, { sender_scm_id: build.senderScmId }),
      ...since(current, { fork: false }),
      author: build.sender,
      email: '',
      link: ui === null ? '' : `${ui}/${build.repo.org}/${build.repo.name}/${build.number}`,
      branch: build.branch,
      ref: build.ref,
      base_ref: '',
      head_ref: '',
      host: onWorker ? 'worker' : '',
      ...since(current, { route: 'vela' }),
      runtime: onWorker ? 'docker' : '',
      distribution: onWorker ? 'linux' : '',
      ...since(!legacy, { approved_at: 0, approved_by: '' }),
    }
  }

  /** A Vela deployment row (§1.7). `withBuilds` is false for the create response. */
  deploymentJson(row: DeploymentRow, nowMs: number, withBuilds: boolean): ApiDeployment {
    const gh = row.gh
    const out: ApiDeployment = {
      id: row.id,
      number: gh.number,
      ...this.deploymentRepo(gh.repo),
      url: gh.url,
      commit: gh.commit,
      ref: gh.ref,
      task: gh.task,
      target: gh.target,
      description: gh.description,
      payload: row.payloadLost ? {} : sortedMap(gh.payload),
      created_at: row.createdAt,
      created_by: row.createdBy,
    }
    const builds = row.links.map((build) => this.buildJson(build, nowMs, 'id'))
    if (withBuilds && builds.length > 0) out.builds = builds
    return out
  }

  /** What scm.GetDeployment returns when the row is not in Vela's DB (§3.1): GitHub id as `id`, no number/builds. */
  githubDeploymentJson(gh: GithubDeployment): ApiDeployment {
    return {
      id: gh.number,
      ...this.deploymentRepo(gh.repo),
      url: gh.url,
      commit: gh.commit,
      ref: gh.ref,
      task: gh.task,
      target: gh.target,
      description: gh.description,
      payload: sortedMap(gh.payload),
      created_at: gh.createdAt,
      created_by: gh.creator,
    }
  }

  /** A deployment's repo: nested since v0.26.0 (server #1197), `repo_id` before. */
  private deploymentRepo(repo: RepoRecord): ApiObject {
    return this.settings.era === 'v0.26+' ? { repo: this.repoJson(repo) } : { repo_id: repo.id }
  }

  /** A v0.22 deployment (types v0.22): read from GitHub, `id` is the GitHub id. */
  legacyDeploymentJson(gh: GithubDeployment, builds?: ApiBuild[]): ApiDeployment {
    const out: ApiDeployment = {
      id: gh.number,
      repo_id: gh.repo.id,
      url: gh.url,
      user: gh.creator,
      commit: gh.commit,
      ref: gh.ref,
      task: gh.task,
      target: gh.target,
      description: gh.description,
      payload: sortedMap(gh.payload),
    }
    // The list always carries the builds, an empty array when none matched; a single deployment none.
    if (builds) out.builds = builds
    return out
  }

  hookJson(hook: HookRecord, nowMs: number): ApiHook {
    const out: ApiHook = {
      id: hook.id,
      ...(this.settings.era === 'v0.22' ? { repo_id: hook.repo.id } : { repo: this.repoJson(hook.repo) }),
      ...(hook.build
        ? this.settings.era === 'v0.22'
          ? { build_id: hook.build.id }
          : { build: this.buildJson(hook.build, nowMs, 'id') }
        : {}),
      number: hook.number,
      source_id: hook.sourceId,
      created: seconds(hook.createdMs),
      host: 'github.com',
      event: 'deployment',
      event_action: 'created',
      branch: hook.branch,
      error: hook.error,
      status: hook.status,
      link: `https://github.com/${hook.repo.fullName}/settings/hooks`,
      webhook_id: hook.repo.webhookId,
    }
    return out
  }

  stepJson(build: BuildRecord, state: StepState): ApiObject {
    return {
      id: state.step.id,
      build_id: build.id,
      repo_id: build.repo.id,
      number: state.step.number,
      name: state.step.name,
      image: state.step.name === 'init' ? '#init' : 'alpine:latest',
      stage: state.step.stage,
      status: state.status,
      error: '',
      exit_code: state.exitCode,
      created: seconds(build.createdMs),
      started: state.started,
      finished: state.finished,
      host: state.started ? 'worker' : '',
      runtime: 'docker',
      distribution: 'linux',
      ...since(this.settings.era !== 'v0.22', { report_as: '' }),
    }
  }

  logJson(build: BuildRecord, step: StepRecord, log: string): ApiObject {
    return {
      id: step.logId,
      build_id: build.id,
      repo_id: build.repo.id,
      service_id: 0,
      step_id: step.id,
      data: Buffer.from(log, 'utf8').toString('base64'),
      ...since(this.settings.era === 'v0.26+', { created_at: seconds(build.createdMs) }),
    }
  }
}

/** `fields` when the release has them, else nothing. */
function since(hasThem: boolean, fields: ApiObject): ApiObject {
  return hasThem ? fields : {}
}

/** init, clone, deploy; the deploy step takes a failing final status of the build. */
function defaultSteps(repo: RepoRecord, target: string, finalStatus: string): BuildStepPlan[] {
  const failed = TERMINAL_STATUSES.has(finalStatus) && finalStatus !== 'success'
  return [
    { name: 'init', status: 'success', log: '$ vela init\nInitializing pipeline\n' },
    {
      name: 'clone',
      status: 'success',
      log: `$ git clone https://github.com/${repo.fullName}.git\nCloning into '${repo.name}'...\n`,
    },
    {
      name: 'deploy',
      status: failed ? finalStatus : 'success',
      log: failed
        ? `$ ./deploy.sh ${target}\nDeploying to ${target}\nError: deploy failed\n`
        : `$ ./deploy.sh ${target}\nDeploying to ${target}\nDone\n`,
    },
  ]
}
