// A fake Vela server speaking real HTTP on 127.0.0.1, as docs/vela-api.md describes Vela (cited as §n), and
// held to what real servers answered by __tests__/contract.test.ts. Used by the action's tests (in-process and
// end-to-end), `npm run demo`, `npm run bench` and `npm run serve-fake-vela`. It models what a client of
// Vela meets and the suite uses, not all of Vela: a request the action never makes may be answered loosely.
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { LoopbackServer } from '../loopback/index.js'
import { decodeDeploymentBody, type DeploymentInput } from './decode.js'
import { deploymentConfigJson, validateDeployment } from './deployment-config.js'
import { applyFault, sendReply, type Reply } from './faults.js'
import { atoi, escapeValue, goJson } from './go.js'
import { parseJwt, signJwt, type VelaClaims } from './jwt.js'
import { Store, type BuildRecord, type RepoRecord, type UserRecord } from './store.js'
import type {
  ApiBuild,
  ApiObject,
  ApiDeployment,
  BuildPlan,
  Fault,
  FaultMatch,
  FakeVelaOptions,
  RecordedRequest,
  RepoOptions,
  VelaEra,
} from './types.js'

export type * from './types.js'
export { DEFAULT_COMMIT, FIRST_GITHUB_DEPLOYMENT_ID } from './store.js'

const JSON_TYPE = 'application/json; charset=utf-8'
const DEFAULT_WEB_UI = 'https://vela.example.com'
const GITHUB_API = 'https://api.github.com'

/** go-github's error for a request GitHub refused with 401. */
const badCredentials = (request: string) => `${request}: 401 Bad credentials []`

function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: Buffer.from(goJson(value)) }
}

/** util.HandleError: `{"error":"<message>"}` (§1.6). */
function fail(status: number, message: string): Reply {
  return json(status, { error: message })
}

const isReply = (value: unknown): value is Reply =>
  typeof value === 'object' &&
  value !== null &&
  'status' in value &&
  'body' in value &&
  Buffer.isBuffer(value.body)

/** The request as the handlers see it. */
interface Call {
  req: IncomingMessage
  method: string
  /** Path segments after basePath, percent-decoded. */
  segments: string[]
  query: URLSearchParams
  body: string
  now: number
}

interface PendingFault {
  match: FaultMatch
  fault: Fault
  remaining: number
}

export async function startFakeVela(options: FakeVelaOptions = {}): Promise<FakeVela> {
  const fake = new FakeVela(options)
  await fake.listen()
  return fake
}

export class FakeVela {
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[] = []

  private readonly era: VelaEra
  private readonly basePath: string
  private readonly tokenTtl: number
  private readonly port: number
  private readonly now: () => number
  private readonly secret = randomBytes(32)
  private readonly store: Store
  private readonly server: LoopbackServer
  private readonly cleanups: Array<() => void> = []
  private readonly faults: PendingFault[] = []

  constructor(options: FakeVelaOptions = {}) {
    this.era = options.era ?? 'v0.26+'
    this.basePath = (options.basePath ?? '').replace(/\/+$/, '').replace(/^(?=[^/])/, '/')
    this.tokenTtl = options.accessTokenTtlSeconds ?? 900
    this.port = options.port ?? 0
    // Looked up at each call, so a test's fake timers move it too.
    this.now = options.now ?? (() => Date.now())
    this.store = new Store({
      era: this.era,
      webUiAddr:
        options.webUiAddr === undefined ? DEFAULT_WEB_UI : (options.webUiAddr?.replace(/\/+$/, '') ?? null),
    })
    this.server = new LoopbackServer('fake Vela', (req, res) => {
      this.onRequest(req, res)
    })
  }

  /** 'http://127.0.0.1:<port>' + basePath, no trailing slash. */
  get url(): string {
    return this.server.url + this.basePath
  }

  listen(): Promise<void> {
    return this.server.listen(this.port)
  }

  /** Stops listening and destroys every connection, stalled ones included. */
  close(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    return this.server.close()
  }

  // ---------------------------------------------------------------- set-up

  addUser(name: string): void {
    this.store.addUser(name)
  }

  /**
   * The user revokes Vela's access on GitHub: every GitHub call Vela makes with the OAuth token it stored for
   * them answers 401 Bad credentials (§2.2). Their personal access token still names them.
   */
  revokeLogin(name: string): void {
    const user = this.store.users.get(name)
    if (!user) throw new Error(`fake Vela: no user ${name}`)
    user.loginRevoked = true
  }

  /** A GitHub PAT that resolves to this GitHub login (which need not be a Vela user, §2.2). */
  addPat(pat: string, user: string): void {
    this.store.pats.set(pat, user)
  }

  /** An HS256 access token signed with this server's secret (§2.1). */
  mintToken(user: string, opts: { ttlSeconds?: number; badSignature?: boolean } = {}): string {
    const now = Math.floor(this.now() / 1000)
    const claims: VelaClaims = {
      is_active: true,
      is_admin: false,
      token_type: 'UserAccess',
      sub: user,
      exp: now + (opts.ttlSeconds ?? this.tokenTtl),
      iat: now,
    }
    return signJwt(claims, opts.badSignature ? randomBytes(32) : this.secret)
  }

  addRepo(org: string, name: string, opts: RepoOptions = {}): void {
    this.store.addRepo(org, name, opts)
  }

  /** How the webhook and build behave for deployments created from now on. */
  setBuildPlan(org: string, repo: string, plan: BuildPlan): void {
    this.repoOrThrow(org, repo).plan = { ...plan }
  }

  /** A repository admin deletes the build (as DELETE …/builds/:build would); later reads answer 404. */
  deleteBuild(org: string, repo: string, number: number): void {
    this.settle()
    if (!this.store.deleteBuild(this.repoOrThrow(org, repo), number))
      throw new Error(`fake Vela: no build ${org}/${repo}#${number}`)
  }

  /** The next `times` requests matching `match` get `fault` (checked in the order faults were added). */
  injectFault(match: FaultMatch, fault: Fault, times = 1): void {
    this.faults.push({ match, fault, remaining: times })
  }

  // ---------------------------------------------------------------- inspection

  /** Deployments Vela holds for the repo, oldest first, with their linked builds (v0.22: GitHub's). */
  deploymentsOf(org: string, repo: string): ApiDeployment[] {
    const r = this.repoOrThrow(org, repo)
    const now = this.settle()
    if (this.era === 'v0.22')
      return this.store.github.filter((d) => d.repo === r).map((d) => this.store.legacyDeploymentJson(d))
    return this.store.deployments
      .filter((d) => d.gh.repo === r)
      .map((d) => this.store.deploymentJson(d, now, true))
  }

  /** Deployments GitHub holds for the repo. */
  githubDeploymentsOf(org: string, repo: string): ApiDeployment[] {
    const r = this.repoOrThrow(org, repo)
    return this.store.github.filter((d) => d.repo === r).map((d) => this.store.githubDeploymentJson(d))
  }

  /** Builds of the repo, lowest number first, with their current status. */
  buildsOf(org: string, repo: string): ApiBuild[] {
    const r = this.repoOrThrow(org, repo)
    const now = this.settle()
    return this.store.builds.filter((b) => b.repo === r).map((b) => this.store.buildJson(b, now, 'full'))
  }

  private repoOrThrow(org: string, repo: string): RepoRecord {
    const record = this.store.repos.get(`${org}/${repo}`)
    if (!record) throw new Error(`fake Vela: no repo ${org}/${repo}; call addRepo first`)
    return record
  }

  private settle(): number {
    const now = this.now()
    this.store.settle(now)
    return now
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const path = req.url ?? '/'
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
      }
      const method = req.method ?? 'GET'
      const record: RecordedRequest = { method, path, headers, body, time: this.now() }
      this.requests.push(record)

      const handle = () => {
        try {
          return this.handle(req, method, path, body)
        } catch (error) {
          // gin.Recovery(): a panic becomes an empty 500 (§1.5).
          console.error('fake Vela handler crashed:', error)
          return { status: 500, headers: {}, body: Buffer.alloc(0) }
        }
      }
      const fault = this.takeFault(method, path)
      if (fault) applyFault(fault, { req, res, handle, onClose: (cleanup) => this.cleanups.push(cleanup) })
      else sendReply(res, handle())
      if (res.headersSent) record.status = res.statusCode
    })
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const entry = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.match.method || f.match.method.toUpperCase() === method) &&
        f.match.path.test(path),
    )
    if (!entry) return undefined
    entry.remaining--
    if (entry.remaining === 0) this.faults.splice(this.faults.indexOf(entry), 1)
    return entry.fault
  }

  private handle(req: IncomingMessage, method: string, rawPath: string, body: string): Reply {
    const now = this.settle()
    const url = new URL(rawPath, 'http://fake.invalid')
    // No route: gin's own default answer (the router sets no NoRoute handler), plain text, not Vela's JSON.
    const notFound = (): Reply => ({
      status: 404,
      headers: { 'content-type': 'text/plain' },
      body: Buffer.from('404 page not found'),
    })
    if (url.pathname !== this.basePath && !url.pathname.startsWith(`${this.basePath}/`)) return notFound()
    const segments = url.pathname.slice(this.basePath.length).split('/').slice(1).map(decodeURIComponent)
    const call: Call = { req, method, segments, query: url.searchParams, body, now }
    const [first, second] = segments

    if (method === 'GET' && segments.length === 1 && first === 'version') return this.version()
    if (method === 'POST' && segments.length === 2 && first === 'authenticate' && second === 'token') {
      return this.exchangePat(req)
    }
    if (first === 'api' && second === 'v1') return this.api(call, segments.slice(2)) ?? notFound()
    return notFound()
  }

  // ---------------------------------------------------------------- unauthenticated routes

  /** GET /version, unauthenticated in every era (§1.10): the newest release of the era modelled. */
  private version(): Reply {
    const {
      version: [major, minor, patch],
      commit,
      go,
    } = ERA_RELEASES[this.era]
    return json(200, {
      canonical: `v${major}.${minor}.${patch}`,
      major,
      minor,
      patch,
      metadata: {
        architecture: 'amd64',
        build_date: '2026-07-16T15:04:28Z',
        compiler: 'gc',
        git_commit: commit,
        go_version: go,
        operating_system: 'linux',
      },
    })
  }

  /** POST /authenticate/token with header `Token: <GitHub PAT>` (§2.2). */
  private exchangePat(req: IncomingMessage): Reply {
    const header = req.headers.token
    const pat = Array.isArray(header) ? header[0] : header
    if (!pat) return fail(401, 'unable to authenticate user: no token provided')
    const login = this.store.pats.get(pat)
    if (login === undefined)
      return fail(401, 'unable to authenticate user: GET https://api.github.com/user: 401 Bad credentials []')
    // The name prints blank: the server reads it from a nil value.
    if (!this.store.users.has(login)) return fail(401, 'unable to authenticate: user  not found')
    return json(200, { token: this.mintToken(login, { ttlSeconds: this.tokenTtl }) })
  }

  // ---------------------------------------------------------------- /api/v1 (§1.1, §2.4)

  /** Routes under /api/v1; undefined when no route matches (gin answers 404 before any middleware runs). */
  private api(call: Call, s: string[]): Reply | undefined {
    const { method } = call
    const route = matchApiRoute(method, s, this.era)
    if (!route) return undefined

    // claims.Establish, user.Establish
    const caller = this.authenticate(call.req.headers.authorization)
    if (isReply(caller)) return caller
    // org.Establish, repo.Establish: 404 only after auth
    const [org = '', name = ''] = route.repoPath
    const repo = this.store.repos.get(`${org}/${name}`)
    if (!repo)
      return fail(404, `unable to read repo ${escapeValue(org)}/${escapeValue(name)}: record not found`)

    switch (route.kind) {
      case 'create-deployment':
        return this.mustWrite(caller, repo) ?? this.createDeployment(call, caller, repo)
      case 'list-deployments':
        return this.mustRead(caller, repo) ?? this.listDeployments(call, caller, repo)
      case 'deployment-config':
        return this.mustRead(caller, repo) ?? json(200, deploymentConfigJson(repo.options.deploymentConfig))
      case 'get-deployment':
        return this.mustRead(caller, repo) ?? this.getDeployment(call, repo, route.param)
      case 'list-builds':
        return this.mustRead(caller, repo) ?? this.listBuilds(call, repo)
      case 'list-hooks':
        return this.mustRead(caller, repo) ?? this.listHooks(call, repo)
      case 'cancel-build': {
        // build.Establish runs before perm.MustWrite (router/build.go)
        const build = this.establishBuild(repo, route.param)
        if (isReply(build)) return build
        return this.mustWrite(caller, repo) ?? this.cancelBuild(call, caller, repo, build)
      }
      case 'get-build':
      case 'list-steps':
      case 'step-log': {
        // build.Establish (and step.Establish) run before perm.MustRead (§3.3)
        const build = this.establishBuild(repo, route.param)
        if (isReply(build)) return build
        if (route.kind === 'step-log') {
          const step = this.establishStep(repo, build, route.step)
          if (isReply(step)) return step
          return this.mustRead(caller, repo) ?? this.stepLog(call, repo, build, step)
        }
        if (route.kind === 'list-steps')
          return this.mustRead(caller, repo) ?? this.listSteps(call, repo, build)
        return this.mustRead(caller, repo) ?? json(200, this.store.buildJson(build, call.now, 'full'))
      }
    }
  }

  /** claims.Establish + user.Establish (§2.1). */
  private authenticate(header: string | undefined): UserRecord | Reply {
    if (!header) return fail(401, 'no token present in request')
    // golang-jwt's AuthorizationHeaderExtractor: a case-insensitive "Bearer " prefix is stripped, a bare token is taken as is.
    const token =
      header.length > 6 && header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7) : header
    const parsed = parseJwt(token, this.secret, this.now() / 1000)
    if ('error' in parsed) return fail(401, parsed.error)
    return this.store.users.get(parsed.claims.sub ?? '') ?? fail(401, 'record not found')
  }

  /** The role GitHub reports for the user (§1.1 step 5). */
  private role(user: UserRecord, repo: RepoRecord): 'admin' | 'write' | 'read' | 'none' {
    if (user.name === repo.org) return 'admin' // personal repo
    const { writers, readers } = repo.options
    if (!writers || writers.includes(user.name)) return 'write'
    if (readers?.includes(user.name)) return 'read'
    return 'none'
  }

  /** perm.MustWrite: admin and write pass; anything else is 401. */
  private mustWrite(user: UserRecord, repo: RepoRecord): Reply | undefined {
    if (['admin', 'write'].includes(this.role(user, repo))) return undefined
    return fail(401, `user ${user.name} does not have 'write' permissions for the repo ${repo.fullName}`)
  }

  /** perm.MustRead: admin, write and read pass. */
  private mustRead(user: UserRecord, repo: RepoRecord): Reply | undefined {
    if (this.role(user, repo) !== 'none') return undefined
    return fail(401, `user ${user.name} does not have 'read' permissions for repo ${repo.fullName}`)
  }

  // ---------------------------------------------------------------- deployments (§1, §3.1)

  /** POST /api/v1/deployments/:org/:repo (§1.3). */
  private createDeployment(call: Call, user: UserRecord, repo: RepoRecord): Reply {
    const full = repo.fullName
    // 1. gin c.Bind: JSON only for Content-Type application/json (parameters stripped); else form binding → defaults (§1.2).
    let input: DeploymentInput = {}
    const contentType = (call.req.headers['content-type'] ?? '').split(/[ ;]/)[0]
    if (contentType === 'application/json') {
      const decoded = decodeDeploymentBody(call.body)
      if ('error' in decoded) {
        // §1.6 quirk: the status line is flushed before the JSON, so net/http sniffs text/plain.
        const reply = fail(400, `unable to decode JSON for new deployment for ${full}: ${decoded.error}`)
        return { ...reply, headers: { 'content-type': 'text/plain; charset=utf-8' } }
      }
      input = decoded.input
    }

    // 2–3. created_by/created_at and defaults; there is no default target.
    const createdAt = Math.floor(call.now / 1000)
    const description = input.description || 'Deployment request from Vela'
    const task = input.task || 'deploy:vela'
    const ref = input.ref || `refs/heads/${repo.branch}`

    // 4. The pipeline at `ref`, read from GitHub with the user's stored login (v0.26+; any failure → 500).
    const commit = this.store.resolveRef(repo, ref)
    if (this.era === 'v0.26+') {
      const contents = `GET ${GITHUB_API}/repos/${full}/contents/.vela.yml?ref=${ref}`
      const why = user.loginRevoked
        ? `unable to get pipeline configuration for ${full}@${ref}: ${badCredentials(contents)}`
        : commit === undefined
          ? this.noPipeline(repo, ref)
          : undefined
      if (why) return fail(500, `unable to get deployment config for ${full}: ${why}`)

      // 5. deployment: block validation (§1.4).
      const reason = validateDeployment(
        repo.options.deploymentConfig,
        input.target ?? '',
        input.payload ?? {},
      )
      if (reason) return fail(400, `unable to validate deployment config for ${full}: ${reason}`)
    }

    // 6. GitHub creates the deployment; its id becomes `number`, it resolves the SHA (a ref it cannot is 422,
    //    as recorded from v0.22.2 and v0.25.3), and a left-out environment defaults to production.
    const create = `POST ${GITHUB_API}/repos/${full}/deployments`
    if (repo.options.githubFailure !== undefined) {
      return fail(500, `unable to create new deployment for ${full}: ${repo.options.githubFailure}`)
    }
    if (user.loginRevoked) {
      return fail(500, `unable to create new deployment for ${full}: ${badCredentials(create)}`)
    }
    if (commit === undefined) {
      return fail(
        500,
        `unable to create new deployment for ${full}: ${create}: 422 No ref found for: ${escapeValue(ref)} []`,
      )
    }
    const target = input.target ?? 'production'
    const payload = input.payload ?? {}
    const gh = this.store.createGithubDeployment(
      { repo, commit, ref, task, target, description, payload, creator: user.name, createdAt },
      call.now,
      repo.plan,
    )
    if (this.era === 'v0.22') return json(201, this.store.legacyDeploymentJson(gh))

    // 7. Insert into Vela's deployments table.
    // The webhook may store the row first (§1.8): the insert then breaks UNIQUE(repo_id, number).
    if (repo.plan.webhookBeforeInsert) this.store.settle(call.now)
    if (this.store.deployments.some((d) => d.gh === gh)) {
      return fail(
        500,
        `unable to create new deployment for ${full}: ERROR: duplicate key value violates unique constraint "deployments_repo_id_number_key" (SQLSTATE 23505)`,
      )
    }
    const row = this.store.insertDeployment(gh, user.name, createdAt)

    // 8. 201 with the stored deployment; `builds` is left out (§1.7).
    return json(201, this.store.deploymentJson(row, call.now, false))
  }

  /** scm Config failing for a ref GitHub cannot resolve (§1.3 step 4). */
  private noPipeline(repo: RepoRecord, ref: string): string {
    return `unable to get pipeline configuration for ${repo.fullName}@${ref}: no valid pipeline configuration file (.vela.yml,.vela.yaml) found`
  }

  /** GET /api/v1/deployments/:org/:repo (§3.1). */
  private listDeployments(call: Call, user: UserRecord, repo: RepoRecord): Reply {
    const page = this.pagination(call, repo.fullName)
    if (isReply(page)) return page
    let items: ApiDeployment[]
    if (this.era === 'v0.22') {
      if (user.loginRevoked) {
        const count = `GET ${GITHUB_API}/repos/${repo.fullName}/deployments?per_page=100`
        return fail(500, `unable to get deployment count for ${repo.fullName}: ${badCredentials(count)}`)
      }
      // v0.10–v0.22: read from GitHub; up to 3 builds matched by build.source == deployment.url (§1.9).
      items = this.store.github
        .filter((d) => d.repo === repo)
        .sort((a, b) => b.number - a.number)
        .map((d) => {
          const builds = this.store.builds
            .filter((b) => b.source === d.url)
            .sort((a, b) => b.number - a.number)
            .slice(0, 3)
            .map((b) => this.store.buildJson(b, call.now, 'id'))
          return this.store.legacyDeploymentJson(d, builds)
        })
    } else {
      items = this.store.deployments
        .filter((d) => d.gh.repo === repo)
        .sort((a, b) => b.gh.number - a.gh.number)
        .map((d) => this.store.deploymentJson(d, call.now, true))
    }
    return pageOf(page, items)
  }

  /**
   * GET /api/v1/deployments/:org/:repo/:deployment (§3.1): :deployment is the number since v0.26.0; in
   * v0.23–v0.25 it is looked up as the row's database id, of any repo (database GetDeployment).
   */
  private getDeployment(call: Call, repo: RepoRecord, param: string): Reply {
    const parsed = atoi(param)
    if ('error' in parsed) return fail(400, `invalid deployment parameter provided: ${escapeValue(param)}`)
    const number = parsed.value
    if (this.era !== 'v0.22') {
      const row = this.store.deployments.find((d) =>
        this.era === 'v0.26+' ? d.gh.repo === repo && d.gh.number === number : d.id === number,
      )
      if (row) return json(200, this.store.deploymentJson(row, call.now, true))
    }
    // Not in the DB: fall back to GitHub (`id` is then the GitHub id, no number, no builds).
    const github = `GET ${GITHUB_API}/repos/${repo.fullName}/deployments/${number}`
    const gh = this.store.github.find((d) => d.repo === repo && d.number === number)
    if (gh)
      return json(
        200,
        this.era === 'v0.22' ? this.store.legacyDeploymentJson(gh) : this.store.githubDeploymentJson(gh),
      )
    return fail(
      500,
      `unable to get deployment ${repo.fullName}/${escapeValue(param)}: ${github}: 404 Not Found []`,
    )
  }

  // ---------------------------------------------------------------- builds, steps, logs, hooks (§3.2–§3.6)

  /** GET /api/v1/repos/:org/:repo/builds, filtered by event, commit, before and after (§3.2). */
  private listBuilds(call: Call, repo: RepoRecord): Reply {
    const page = this.pagination(call, `repo ${repo.fullName}`)
    if (isReply(page)) return page
    const q = call.query
    const [event, commit] = [q.get('event'), q.get('commit')]
    const before = Number(q.get('before') ?? Math.floor(call.now / 1000))
    const after = Number(q.get('after') ?? 0)
    const items = this.store.builds
      .filter((b) => b.repo === repo)
      .map((b) => this.store.buildJson(b, call.now, 'full'))
      .filter(
        (b) =>
          (!event || b.event === event) &&
          (!commit || b.commit === commit) &&
          b.created < before &&
          b.created > after,
      )
      .sort((a, b) => b.number - a.number)
    return pageOf(page, items)
  }

  /** build.Establish (§3.3). */
  private establishBuild(repo: RepoRecord, param: string): BuildRecord | Reply {
    const parsed = atoi(param)
    if ('error' in parsed) return fail(400, `invalid build parameter provided: ${escapeValue(param)}`)
    const build = this.store.builds.find((b) => b.repo === repo && b.number === parsed.value)
    if (!build) return fail(404, `unable to read build ${repo.fullName}/${parsed.value}: record not found`)
    return build
  }

  /**
   * DELETE …/builds/:build/cancel (api/build/cancel.go): a running build is cancelled on its worker and
   * records who cancelled it, a pending one is marked canceled; any other status (pending approval
   * included) is 400. Answers 200 with the build.
   */
  private cancelBuild(call: Call, user: UserRecord, repo: RepoRecord, build: BuildRecord): Reply {
    const { status } = this.store.buildState(build, call.now)
    if (status !== 'running' && status !== 'pending') {
      return fail(400, `found build ${repo.fullName}/${build.number} but its status was ${status}`)
    }
    this.store.cancelBuild(build, call.now, status === 'running' ? user.name : undefined)
    const answer = this.store.buildJson(build, call.now, 'full')
    // v0.26+ answers a running build as its worker sent it back, where the repo's null fields were lost.
    if (this.era === 'v0.26+' && status === 'running' && answer.repo) {
      const repoFields: ApiObject = { ...answer.repo }
      delete repoFields.merge_queue_events
      delete repoFields.custom_props
      answer.repo = repoFields
    }
    return json(200, answer)
  }

  /** step.Establish: :step is the step number. */
  private establishStep(repo: RepoRecord, build: BuildRecord, param: string) {
    const parsed = atoi(param)
    if ('error' in parsed) return fail(400, `malformed step parameter provided: ${escapeValue(param)}`)
    const step = build.steps.find((s) => s.number === parsed.value)
    if (!step)
      return fail(
        404,
        `unable to read step ${repo.fullName}/${build.number}/${parsed.value}: record not found`,
      )
    return step
  }

  /** GET …/builds/:build/steps, ordered by id DESC (§3.6). */
  private listSteps(call: Call, repo: RepoRecord, build: BuildRecord): Reply {
    const page = this.pagination(call, `build ${repo.fullName}/${build.number}`)
    if (isReply(page)) return page
    const items = this.store
      .stepStates(build, call.now)
      .sort((a, b) => b.step.id - a.step.id)
      .map((state) => this.store.stepJson(build, state))
    return pageOf(page, items)
  }

  /** GET …/builds/:build/steps/:step/logs: base64 `data`; 404 until the step has a log (§3.6). */
  private stepLog(
    call: Call,
    repo: RepoRecord,
    build: BuildRecord,
    step: BuildRecord['steps'][number],
  ): Reply {
    const state = this.store.stepStates(build, call.now).find((s) => s.step === step)
    if (!state?.done || step.log === undefined) {
      return fail(
        404,
        `unable to get logs for step ${repo.fullName}/${build.number}/${step.number}: record not found`,
      )
    }
    return json(200, this.store.logJson(build, step, step.log))
  }

  /** GET /api/v1/hooks/:org/:repo, newest first (§3.2). */
  private listHooks(call: Call, repo: RepoRecord): Reply {
    const page = this.pagination(call, `repo ${repo.fullName}`)
    if (isReply(page)) return page
    const items = this.store.hooks
      .filter((h) => h.repo === repo)
      .sort((a, b) => b.id - a.id)
      .map((h) => this.store.hookJson(h, call.now))
    return pageOf(page, items)
  }

  // ---------------------------------------------------------------- pagination (api/pagination.go)

  /** page (default 1) and per_page (default 10, clamped to 1..100); a non-integer → 400. */
  private pagination(call: Call, what: string): { page: number; perPage: number } | Reply {
    const read = (name: string, fallback: string) => {
      const parsed = atoi(call.query.has(name) ? (call.query.get(name) ?? '') : fallback)
      return 'error' in parsed
        ? fail(400, `unable to convert ${name} query parameter for ${what}: ${parsed.error}`)
        : parsed.value
    }
    const page = read('page', '1')
    if (isReply(page)) return page
    const perPage = read('per_page', '10')
    if (isReply(perPage)) return perPage
    return { page: Math.max(1, page), perPage: Math.max(1, Math.min(100, perPage)) }
  }
}

/** One page of `items`. */
function pageOf({ page, perPage }: { page: number; perPage: number }, items: unknown[]): Reply {
  return json(200, items.slice((page - 1) * perPage, page * perPage))
}

/** The release each era's GET /version names, and its commit (the tag's) and Go version. */
const ERA_RELEASES: Record<VelaEra, { version: [number, number, number]; commit: string; go: string }> = {
  'v0.22': { version: [0, 22, 2], commit: '17be4c4', go: 'go1.20.6' },
  'v0.23-v0.25': { version: [0, 25, 3], commit: '67c1892', go: 'go1.22.5' },
  'v0.26+': { version: [0, 28, 8], commit: 'b62ee14', go: 'go1.24.5' },
}

type ApiRoute =
  | {
      kind: 'create-deployment' | 'list-deployments' | 'deployment-config' | 'list-builds' | 'list-hooks'
      repoPath: string[]
    }
  | {
      kind: 'get-deployment' | 'get-build' | 'list-steps' | 'cancel-build'
      repoPath: string[]
      param: string
    }
  | { kind: 'step-log'; repoPath: string[]; param: string; step: string }

/** The /api/v1 routes the fake serves (router/deployment.go, build.go, step.go, log.go, hook.go). */
function matchApiRoute(method: string, s: string[], era: VelaEra): ApiRoute | undefined {
  const [group, org, repo, ...rest] = s
  if (!org || !repo || rest.some((part) => part === '')) return undefined
  const repoPath = [org, repo]
  if (group === 'deployments') {
    if (rest.length === 0 && method === 'POST') return { kind: 'create-deployment', repoPath }
    if (rest.length === 0 && method === 'GET') return { kind: 'list-deployments', repoPath }
    // /config exists since v0.26; before that "config" is taken as a deployment number.
    if (rest.length === 1 && method === 'GET' && rest[0] === 'config' && era === 'v0.26+')
      return { kind: 'deployment-config', repoPath }
    if (rest.length === 1 && method === 'GET')
      return { kind: 'get-deployment', repoPath, param: rest[0] as string }
  }
  if (group === 'hooks' && rest.length === 0 && method === 'GET') return { kind: 'list-hooks', repoPath }
  if (
    group === 'repos' &&
    rest[0] === 'builds' &&
    rest.length === 3 &&
    rest[2] === 'cancel' &&
    method === 'DELETE'
  )
    return { kind: 'cancel-build', repoPath, param: rest[1] as string }
  if (group === 'repos' && rest[0] === 'builds' && method === 'GET') {
    const [, build, steps, step, logs] = rest
    if (rest.length === 1) return { kind: 'list-builds', repoPath }
    if (rest.length === 2) return { kind: 'get-build', repoPath, param: build as string }
    if (rest.length === 3 && steps === 'steps')
      return { kind: 'list-steps', repoPath, param: build as string }
    if (rest.length === 5 && steps === 'steps' && logs === 'logs') {
      return { kind: 'step-log', repoPath, param: build as string, step: step as string }
    }
  }
  return undefined
}
