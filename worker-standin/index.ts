// A worker stand-in for a real Vela server: it takes the deployment builds Vela queued and moves them through
// Vela's own API as go-vela/worker does (build token, executable, running, each step with its log, final
// status), and serves the executor API Vela calls when a running build is cancelled. Used by the suite that
// drives the action against a real Vela (real-vela/).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { LoopbackServer } from '../loopback/index.js'

/** What one step of a build does. Steps the plan does not name succeed with a one-line log. */
export interface StepScript {
  status: 'success' | 'failure'
  log: string
  exitCode?: number
}

/** How the worker runs the builds of one repository. */
export interface BuildScript {
  /** By step name. */
  steps?: Record<string, StepScript>
  /** How long each step runs (default STEP_MS). */
  stepMs?: number
  /** 'hang': after the first step starts, the build runs until Vela cancels it. */
  ending?: 'finish' | 'hang'
}

export interface WorkerOptions {
  /** Vela's address. */
  server: string
  /** VELA_SECRET: the worker's credential for registering and for build tokens. */
  secret: string
  /** How the worker finds queued builds: a Vela token that may read the repositories. */
  readToken: () => string
  hostname?: string
}

type Json = Record<string, unknown>

interface Running {
  org: string
  repo: string
  build: Json
  repoJson: Json
  buildToken: string
  cancelled: boolean
  wake: () => void
}

/** One build the worker ran, as it saw it. */
export interface WorkedBuild {
  org: string
  repo: string
  number: number
  /** Epoch ms of the final status update Vela accepted, if the build ended. */
  finishedAt?: number
}

/** How long a step runs unless the script says otherwise. */
export const STEP_MS = 300
/** How often the worker reads Vela's queue: a queued build waits at most this long to start. */
export const POLL_MS = 200

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const unix = () => Math.floor(Date.now() / 1000)

export class WorkerStandIn {
  readonly hostname: string
  readonly worked: WorkedBuild[] = []
  /** Errors met while working builds; a suite fails on any. */
  readonly errors: string[] = []
  private readonly http: LoopbackServer
  private readonly scripts = new Map<string, BuildScript>()
  private readonly claimed = new Set<string>()
  private readonly running = new Map<number, Running>()
  private nextExecutor = 0
  private polling = Promise.resolve()
  private stopped = false
  /** Builds being worked, so that closing waits for them. */
  private readonly working = new Set<Promise<void>>()

  constructor(private readonly options: WorkerOptions) {
    this.hostname = options.hostname ?? 'standin-worker'
    this.http = new LoopbackServer('worker stand-in', (req, res) => {
      this.onExecutorRequest(req, res).catch((error: unknown) => {
        this.errors.push(`executor API: ${String(error)}`)
        res.destroy()
      })
    })
  }

  /** Starts the executor API; call before `register`, which tells Vela its address. */
  listen(): Promise<void> {
    return this.http.listen()
  }

  /** POST /api/v1/workers with the shared secret, as a worker does at start. */
  async register(): Promise<void> {
    await this.vela('POST', '/api/v1/workers', this.options.secret, {
      hostname: this.hostname,
      address: this.http.url,
      routes: ['vela'],
      active: true,
      build_limit: 10,
    })
  }

  /** From now on, builds of this repository run as scripted. */
  script(org: string, repo: string, script: BuildScript): void {
    this.scripts.set(`${org}/${repo}`, script)
  }

  /** The repository expects no more builds: its queue is no longer read. */
  forget(org: string, repo: string): void {
    this.scripts.delete(`${org}/${repo}`)
  }

  /** Reads the queue of each scripted repository, round after round, until closed. */
  start(intervalMs = POLL_MS): void {
    this.polling = (async () => {
      while (!this.stopped) {
        await this.poll()
        await sleep(intervalMs)
      }
    })()
  }

  async close(): Promise<void> {
    this.stopped = true
    for (const run of this.running.values()) {
      run.cancelled = true
      run.wake()
    }
    await this.polling
    await Promise.allSettled([...this.working])
    await this.http.close()
  }

  // ---------------------------------------------------------------- the queue

  /** Takes each pending deployment build once Vela has queued it (`enqueued` set, see below). */
  private async poll(): Promise<void> {
    for (const [fullName, script] of this.scripts) {
      await this.pollRepo(fullName, script).catch((error: unknown) => {
        this.errors.push(`poll ${fullName}: ${String(error)}`)
      })
    }
  }

  private async pollRepo(fullName: string, script: BuildScript): Promise<void> {
    const [org = '', repo = ''] = fullName.split('/')
    const builds = (await this.vela(
      'GET',
      `/api/v1/repos/${org}/${repo}/builds?event=deployment&status=pending&per_page=100`,
      this.options.readToken(),
    )) as Json[]
    for (const build of builds) {
      const key = `${fullName}#${String(build.number)}`
      // Vela's enqueue goroutine ends with a save of the whole build: taking it before `enqueued` is set
      // would let that save put it back to pending.
      if (this.claimed.has(key) || !build.enqueued) continue
      this.claimed.add(key)
      const job = this.work(org, repo, Number(build.number), script)
        .catch((error: unknown) => {
          this.errors.push(`${key}: ${String(error)}`)
        })
        .finally(() => this.working.delete(job))
      this.working.add(job)
    }
  }

  private async work(org: string, repo: string, number: number, script: BuildScript): Promise<void> {
    const base = `/api/v1/repos/${org}/${repo}/builds/${number}`
    const record: WorkedBuild = { org, repo, number }
    this.worked.push(record)
    const { token } = (await this.vela('GET', `${base}/token`, this.options.secret)) as { token: string }
    await this.vela('GET', `${base}/executable`, token)
    const build = (await this.vela('PUT', base, token, {
      status: 'running',
      started: unix(),
      host: this.hostname,
      runtime: 'docker',
      distribution: 'linux',
    })) as Json
    const repoJson = (await this.vela(
      'GET',
      `/api/v1/repos/${org}/${repo}`,
      this.options.readToken(),
    )) as Json
    const executor = this.nextExecutor++
    const run: Running = {
      org,
      repo,
      build,
      repoJson,
      buildToken: token,
      cancelled: false,
      wake: () => undefined,
    }
    this.running.set(executor, run)
    try {
      const status = await this.runSteps(base, token, script, run)
      if (run.cancelled) return
      await this.vela('PUT', base, token, { status, finished: unix() })
      record.finishedAt = Date.now()
    } finally {
      this.running.delete(executor)
    }
  }

  /** Each step in order: running, its log, its end. Answers the build's final status. */
  private async runSteps(base: string, token: string, script: BuildScript, run: Running): Promise<string> {
    const steps = ((await this.vela('GET', `${base}/steps?per_page=100`, token)) as Json[]).sort(
      (a, b) => Number(a.number) - Number(b.number),
    )
    let status = 'success'
    for (const step of steps) {
      const path = `${base}/steps/${String(step.number)}`
      const plan = script.steps?.[String(step.name)] ?? { status: 'success', log: `$ ${String(step.name)}\n` }
      await this.vela('PUT', path, token, { status: 'running', started: unix() })
      if (script.ending === 'hang') {
        await new Promise<void>((resolve) => (run.wake = resolve))
        return 'canceled'
      }
      await sleep(script.stepMs ?? STEP_MS)
      if (run.cancelled) return 'canceled'
      await this.vela('PUT', `${path}/logs`, token, { data: Buffer.from(plan.log).toString('base64') })
      const exitCode = plan.exitCode ?? (plan.status === 'failure' ? 1 : 0)
      await this.vela('PUT', path, token, { status: plan.status, exit_code: exitCode, finished: unix() })
      if (plan.status !== 'success') status = plan.status
    }
    return status
  }

  // ---------------------------------------------------------------- the executor API Vela calls

  /**
   * GET /api/v1/executors lists what runs here; DELETE /api/v1/executors/{id}/build/cancel stops it and
   * answers the build as the worker last had it, canceled (Vela stores that answer).
   */
  private async onExecutorRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const url = req.url ?? '/'
    if (req.method === 'GET' && url === '/api/v1/executors') {
      send(
        200,
        [...this.running].map(([id, run]) => ({
          id,
          host: this.hostname,
          runtime: 'docker',
          distribution: 'linux',
          build: run.build,
          repo: run.repoJson,
        })),
      )
      return
    }
    const cancel = /^\/api\/v1\/executors\/(\d+)\/build\/cancel$/.exec(url)
    const run = cancel && this.running.get(Number(cancel[1]))
    if (req.method !== 'DELETE' || !run) {
      send(404, { error: 'no such executor' })
      return
    }
    run.cancelled = true
    run.wake()
    await this.cancelSteps(run)
    send(200, { ...run.build, status: 'canceled', finished: unix() })
  }

  /** Marks the steps that had not ended canceled, as the worker's executor does when it is stopped. */
  private async cancelSteps(run: Running): Promise<void> {
    const base = `/api/v1/repos/${run.org}/${run.repo}/builds/${String(run.build.number)}`
    const steps = (await this.vela('GET', `${base}/steps?per_page=100`, run.buildToken)) as Json[]
    for (const step of steps.filter((s) => s.status === 'running' || s.status === 'pending')) {
      await this.vela('PUT', `${base}/steps/${String(step.number)}`, run.buildToken, {
        status: 'canceled',
        finished: unix(),
      })
    }
  }

  private async vela(method: string, path: string, token: string, body?: unknown): Promise<unknown> {
    const response = await fetch(this.options.server + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
    return text ? (JSON.parse(text) as unknown) : undefined
  }
}
