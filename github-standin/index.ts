// A GitHub stand-in for a real Vela server: the OAuth login, the REST endpoints (GitHub Enterprise layout,
// under /api/v3) that Vela calls to enable a repository, create a deployment and compile its pipeline, and
// the signed `deployment` webhook GitHub sends back to Vela. It answers as github.com does, with the fields
// Vela reads. Used by the suite that drives the action against a real Vela (real-vela/), and by the action's
// own tests of the deployment statuses it posts for `environment-url`.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { LoopbackServer } from '../loopback/index.js'

/** How GitHub delivers the `deployment` webhook of a new deployment. */
export type WebhookTiming =
  /** As github.com does: shortly after it has answered the create. */
  | 'after-answer'
  /** Delivered, and answered by Vela, before the create is answered: Vela's webhook stores the deployment first. */
  | 'before-answer'
  /** Never delivered. */
  | 'never'

/** Every repository has just this branch. */
const BRANCH = 'main'

export interface GitHubRepoOptions {
  /** The `.vela.yml` at every ref. */
  pipeline: string
  /** Each collaborator's permission; the owner is admin. */
  permissions?: Record<string, 'admin' | 'write' | 'read' | 'none'>
  /** Default 'after-answer'. */
  webhook?: WebhookTiming
  /** Deployment status requests are held unanswered, as by a GitHub that has stopped answering. */
  statusesHang?: boolean
}

/** A deployment status as it was posted, and who posted it. */
export interface GitHubDeploymentStatus {
  id: number
  state: string
  environment_url: string
  log_url: string
  environment: string
  description: string
  creator: string
  created_at: string
}

export interface GitHubDeployment {
  id: number
  /** Oldest first. */
  statuses: GitHubDeploymentStatus[]
  owner: string
  repo: string
  sha: string
  ref: string
  task: string
  environment: string
  description: string
  payload: unknown
  creator: string
  createdAt: string
}

interface Hook {
  id: number
  url: string
  secret: string
  contentType: string
  events: string[]
  createdAt: string
}

interface Repo {
  id: number
  owner: string
  name: string
  options: GitHubRepoOptions
  hooks: Hook[]
}

/** What GitHub received, for debugging a run. */
export interface GitHubRequest {
  method: string
  path: string
  status: number
}

const JSON_TYPE = 'application/json; charset=utf-8'
/** How long after answering a create GitHub delivers its webhook. */
export const WEBHOOK_DELAY_MS = 500
const DOCS = 'https://docs.github.com/rest'

interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

const reply = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  headers,
})
const message = (status: number, text: string): Reply =>
  reply(status, { message: text, documentation_url: DOCS })

/** A commit SHA that is the same for the same repository and ref in every run. */
function shaOf(owner: string, repo: string, ref: string): string {
  return createHash('sha1').update(`${owner}/${repo}@${ref}`).digest('hex')
}

export class GitHubStandIn {
  readonly requests: GitHubRequest[] = []
  /** Webhook deliveries Vela refused or never answered; a suite fails on any. */
  readonly errors: string[] = []
  private readonly server: LoopbackServer
  private readonly repos = new Map<string, Repo>()
  private readonly users = new Map<string, number>()
  /** OAuth tokens of Vela's app, by token: the login, and whether GitHub still accepts it. */
  private readonly oauthTokens = new Map<string, { login: string; revoked: boolean }>()
  private readonly personalTokens = new Map<string, string>()
  private readonly deployments: GitHubDeployment[] = []
  private readonly deliveries = new Set<Promise<void>>()
  private nextId = 1000

  constructor(private readonly clientId: string) {
    this.server = new LoopbackServer('GitHub stand-in', (req, res) => {
      this.onRequest(req, res)
    })
  }

  get url(): string {
    return this.server.url
  }

  listen(): Promise<void> {
    return this.server.listen()
  }

  async close(): Promise<void> {
    await this.deliveriesDone()
    await this.server.close()
  }

  // ---------------------------------------------------------------- set-up

  /** A GitHub account. Its OAuth login code is its login name. */
  addUser(login: string): void {
    if (!this.users.has(login)) this.users.set(login, this.nextId++)
  }

  /** A classic personal access token of the user. */
  addPersonalToken(login: string): string {
    const token = `ghp_${randomBytes(18).toString('hex')}`
    this.personalTokens.set(token, login)
    return token
  }

  /** The user revokes Vela's OAuth app: GitHub answers 401 Bad credentials to the token Vela stored. */
  revokeOAuth(login: string): void {
    for (const grant of this.oauthTokens.values()) if (grant.login === login) grant.revoked = true
  }

  addRepo(owner: string, name: string, options: GitHubRepoOptions): void {
    this.addUser(owner)
    this.repos.set(`${owner}/${name}`, { id: this.nextId++, owner, name, options, hooks: [] })
  }

  /** A deployment made outside GitHub's API, as Vela made it: for tests that run the action without Vela's GitHub. */
  addDeployment(
    owner: string,
    name: string,
    id: number,
    environment: string,
    creator = owner,
  ): GitHubDeployment {
    const deployment: GitHubDeployment = {
      id,
      statuses: [],
      owner,
      repo: name,
      sha: shaOf(owner, name, `refs/heads/${BRANCH}`),
      ref: BRANCH,
      task: 'deploy:vela',
      environment,
      description: '',
      payload: {},
      creator,
      createdAt: new Date().toISOString(),
    }
    this.deployments.push(deployment)
    return deployment
  }

  /** A status posted by someone else, as Vela posts its own. */
  postStatus(deployment: GitHubDeployment, creator: string, input: Partial<GitHubDeploymentStatus>): void {
    this.addStatus(deployment, creator, input)
  }

  // ---------------------------------------------------------------- inspection

  deploymentsOf(owner: string, name: string): GitHubDeployment[] {
    return this.deployments.filter((d) => d.owner === owner && d.repo === name)
  }

  /** Resolves once every webhook sent so far has been answered. */
  async deliveriesDone(): Promise<void> {
    await Promise.allSettled([...this.deliveries])
  }

  // ---------------------------------------------------------------- HTTP

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const url = new URL(req.url ?? '/', 'http://github.invalid')
      this.route(req, url, body)
        .catch((error: unknown) => message(500, `GitHub stand-in failed: ${String(error)}`))
        .then((answer) => {
          this.requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status: answer.status })
          const text = JSON.stringify(answer.body)
          res.writeHead(answer.status, {
            'content-type': JSON_TYPE,
            'content-length': String(Buffer.byteLength(text)),
            ...answer.headers,
          })
          res.end(text)
        })
        .catch(() => res.destroy())
    })
  }

  private async route(req: IncomingMessage, url: URL, body: string): Promise<Reply> {
    const method = req.method ?? 'GET'
    if (method === 'POST' && url.pathname === '/login/oauth/access_token') return this.exchangeCode(body)
    if (!url.pathname.startsWith('/api/v3/')) return message(404, 'Not Found')
    const s = url.pathname.slice('/api/v3/'.length).split('/').map(decodeURIComponent)

    if (method === 'POST' && s[0] === 'applications' && s[2] === 'token' && s.length === 3) {
      return this.checkToken(req, s[1] ?? '', body)
    }
    const login = this.caller(req)
    if (login === undefined) return message(401, 'Bad credentials')
    if (method === 'GET' && s.length === 1 && s[0] === 'user') return this.user(login)
    if (method === 'GET' && s.length === 2 && s[0] === 'users') {
      const id = this.users.get(s[1] ?? '')
      return id === undefined ? message(404, 'Not Found') : this.user(s[1] ?? '')
    }
    if (s[0] !== 'repos' || s.length < 3) return message(404, 'Not Found')
    const repo = this.repos.get(`${s[1] ?? ''}/${s[2] ?? ''}`)
    if (!repo) return message(404, 'Not Found')
    return this.repoRoute(method, repo, s.slice(3), url, body, login)
  }

  private repoRoute(
    method: string,
    repo: Repo,
    s: string[],
    url: URL,
    body: string,
    login: string,
  ): Reply | Promise<Reply> {
    const [what, id, sub] = s
    if (s.length === 0 && method === 'GET') return reply(200, this.repoJson(repo))
    if (what === 'hooks' && s.length === 1 && method === 'POST') return this.createHook(repo, body)
    if (what === 'hooks' && s.length === 1 && method === 'GET')
      return reply(
        200,
        repo.hooks.map((h) => this.hookJson(h)),
      )
    if (what === 'hooks' && s.length === 2) return this.changeHook(method, repo, Number(id), body)
    if (what === 'collaborators' && s.length === 3 && sub === 'permission') {
      return this.permission(repo, id ?? '')
    }
    if (what === 'contents' && method === 'GET') return this.contents(repo, s.slice(1).join('/'), url)
    if (what === 'commits' && s.length === 2 && method === 'GET') return this.commit(repo, id ?? '')
    if (what === 'deployments' && s.length === 1 && method === 'POST')
      return this.createDeployment(repo, body, login)
    if (what === 'deployments' && s.length === 1 && method === 'GET') return this.listDeployments(repo, url)
    if (what === 'deployments' && s.length === 2 && method === 'GET') {
      const deployment = this.deployments.find((d) => d.id === Number(id) && d.repo === repo.name)
      return deployment ? reply(200, this.deploymentJson(deployment)) : message(404, 'Not Found')
    }
    if (what === 'deployments' && s.length === 3 && sub === 'statuses') {
      return this.statuses(method, repo, Number(id), body, login)
    }
    if (what === 'statuses' && method === 'POST') return reply(201, { id: this.nextId++ })
    return message(404, 'Not Found')
  }

  /** The login of the token in Authorization (Bearer or token scheme), if GitHub accepts it. */
  private caller(req: IncomingMessage): string | undefined {
    const match = /^(?:bearer|token)\s+(.+)$/i.exec(req.headers.authorization ?? '')
    const token = match?.[1]
    if (!token) return undefined
    const grant = this.oauthTokens.get(token)
    if (grant) return grant.revoked ? undefined : grant.login
    return this.personalTokens.get(token)
  }

  // ---------------------------------------------------------------- OAuth and users

  /** POST /login/oauth/access_token: the code is the login of the user who signed in. */
  private exchangeCode(body: string): Reply {
    const login = new URLSearchParams(body).get('code') ?? ''
    if (!this.users.has(login)) {
      return reply(200, {
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect.',
      })
    }
    const token = `gho_${randomBytes(18).toString('hex')}`
    this.oauthTokens.set(token, { login, revoked: false })
    return reply(200, {
      access_token: token,
      token_type: 'bearer',
      scope: 'repo,repo:status,user:email,read:user,read:org',
    })
  }

  /** POST /applications/{client_id}/token: 200 for a token of this OAuth app, 404 for any other. */
  private checkToken(req: IncomingMessage, clientId: string, body: string): Reply {
    if (clientId !== this.clientId) return message(404, 'Not Found')
    const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /i, ''), 'base64').toString()
    if (!basic.startsWith(`${this.clientId}:`)) return message(401, 'Bad credentials')
    const token = (JSON.parse(body || '{}') as { access_token?: string }).access_token ?? ''
    const grant = this.oauthTokens.get(token)
    if (!grant || grant.revoked) return message(404, 'Not Found')
    return reply(200, { id: 1, token, app: { client_id: this.clientId }, user: this.userJson(grant.login) })
  }

  private user(login: string): Reply {
    return reply(200, this.userJson(login))
  }

  private userJson(login: string) {
    return { login, id: this.users.get(login) ?? 0, type: 'User', site_admin: false }
  }

  // ---------------------------------------------------------------- repositories

  private repoJson(repo: Repo) {
    const full = `${repo.owner}/${repo.name}`
    return {
      id: repo.id,
      name: repo.name,
      full_name: full,
      owner: this.userJson(repo.owner),
      private: true,
      visibility: 'private',
      html_url: `${this.url}/${full}`,
      clone_url: `${this.url}/${full}.git`,
      default_branch: BRANCH,
      topics: [],
    }
  }

  private permission(repo: Repo, user: string): Reply {
    if (!this.users.has(user)) return message(404, 'Not Found')
    const permission = this.permissionOf(repo, user)
    return reply(200, { permission, role_name: permission, user: this.userJson(user) })
  }

  private permissionOf(repo: Repo, user: string): 'admin' | 'write' | 'read' | 'none' {
    return user === repo.owner ? 'admin' : (repo.options.permissions?.[user] ?? 'none')
  }

  private createHook(repo: Repo, body: string): Reply {
    const input = JSON.parse(body) as {
      events?: string[]
      config?: { url?: string; secret?: string; content_type?: string }
    }
    const hook: Hook = {
      id: this.nextId++,
      url: input.config?.url ?? '',
      secret: input.config?.secret ?? '',
      contentType: input.config?.content_type ?? 'form',
      events: input.events ?? [],
      createdAt: new Date().toISOString(),
    }
    if (repo.hooks.some((h) => h.url === hook.url))
      return message(422, 'Validation Failed: Hook already exists on this repository')
    repo.hooks.push(hook)
    return reply(201, this.hookJson(hook))
  }

  private changeHook(method: string, repo: Repo, id: number, body: string): Reply {
    const hook = repo.hooks.find((h) => h.id === id)
    if (!hook) return message(404, 'Not Found')
    if (method === 'DELETE') {
      repo.hooks.splice(repo.hooks.indexOf(hook), 1)
      return reply(204, '')
    }
    if (method === 'PATCH') {
      const input = JSON.parse(body) as { events?: string[] }
      if (input.events) hook.events = input.events
      return reply(200, this.hookJson(hook))
    }
    return reply(200, this.hookJson(hook))
  }

  private hookJson(hook: Hook) {
    return {
      id: hook.id,
      name: 'web',
      active: true,
      events: hook.events,
      config: { url: hook.url, content_type: hook.contentType, insecure_ssl: '0' },
      created_at: hook.createdAt,
      updated_at: hook.createdAt,
    }
  }

  /** The commit a ref names: the branch by name, as refs/heads/…, or by its SHA. */
  private resolve(repo: Repo, ref: string): string | undefined {
    const sha = shaOf(repo.owner, repo.name, `refs/heads/${BRANCH}`)
    return [BRANCH, `refs/heads/${BRANCH}`, sha].includes(ref) ? sha : undefined
  }

  /** GET /repos/{o}/{r}/contents/{path}?ref=: the pipeline, at any ref that exists. */
  private contents(repo: Repo, path: string, url: URL): Reply {
    const ref = url.searchParams.get('ref') ?? BRANCH
    if (this.resolve(repo, ref) === undefined) return message(404, `No commit found for the ref ${ref}`)
    if (path !== '.vela.yml') return message(404, 'Not Found')
    const content = Buffer.from(repo.options.pipeline)
    const sha = createHash('sha1').update(content).digest('hex')
    return reply(200, {
      type: 'file',
      encoding: 'base64',
      size: content.length,
      name: path,
      path,
      sha,
      content: content.toString('base64'),
      html_url: `${this.url}/${repo.owner}/${repo.name}/blob/${ref}/${path}`,
    })
  }

  /** GET /repos/{o}/{r}/commits/{sha}: the files the commit changed. */
  private commit(repo: Repo, sha: string): Reply {
    if (this.resolve(repo, sha) === undefined) return message(422, `No commit found for SHA: ${sha}`)
    return reply(200, { sha, files: [{ filename: '.vela.yml', status: 'modified' }] })
  }

  // ---------------------------------------------------------------- deployments

  private async createDeployment(repo: Repo, body: string, login: string): Promise<Reply> {
    const input = JSON.parse(body) as {
      ref?: string
      task?: string
      environment?: string
      description?: string
      payload?: unknown
    }
    const ref = input.ref ?? ''
    const sha = this.resolve(repo, ref)
    if (sha === undefined) return message(422, `No ref found for: ${ref}`)
    const deployment: GitHubDeployment = {
      id: this.nextId++,
      statuses: [],
      owner: repo.owner,
      repo: repo.name,
      sha,
      ref,
      task: input.task ?? 'deploy',
      environment: input.environment ?? 'production',
      description: input.description ?? '',
      payload: input.payload ?? {},
      creator: login,
      createdAt: new Date().toISOString(),
    }
    this.deployments.push(deployment)
    const timing = repo.options.webhook ?? 'after-answer'
    if (timing === 'before-answer') await this.track(this.deliver(repo, deployment))
    // github.com answers first and delivers the webhook shortly after.
    if (timing === 'after-answer') {
      const later = new Promise((resolve) => setTimeout(resolve, WEBHOOK_DELAY_MS))
      void this.track(later.then(() => this.deliver(repo, deployment)))
    }
    return reply(201, this.deploymentJson(deployment))
  }

  /** Keeps the delivery until it ends; a delivery Vela does not take is written down in `errors`. */
  private track(delivery: Promise<void>): Promise<void> {
    const tracked = delivery
      .catch((error: unknown) => {
        this.errors.push(`webhook: ${String(error)}`)
      })
      .finally(() => this.deliveries.delete(tracked))
    this.deliveries.add(tracked)
    return tracked
  }

  private listDeployments(repo: Repo, url: URL): Reply {
    const perPage = Number(url.searchParams.get('per_page') ?? 30)
    const page = Number(url.searchParams.get('page') ?? 1)
    const all = this.deploymentsOf(repo.owner, repo.name).reverse()
    return reply(
      200,
      all.slice((page - 1) * perPage, page * perPage).map((d) => this.deploymentJson(d)),
    )
  }

  private deploymentJson(d: GitHubDeployment) {
    const api = `${this.url}/api/v3/repos/${d.owner}/${d.repo}`
    return {
      url: `${api}/deployments/${d.id}`,
      id: d.id,
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: d.payload,
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      creator: this.userJson(d.creator),
      created_at: d.createdAt,
      updated_at: d.createdAt,
      statuses_url: `${api}/deployments/${d.id}/statuses`,
      repository_url: api,
      transient_environment: false,
      production_environment: d.environment === 'production',
    }
  }

  /** GET (newest first) and POST /repos/{o}/{r}/deployments/{id}/statuses; writing needs write access. */
  private async statuses(
    method: string,
    repo: Repo,
    id: number,
    body: string,
    login: string,
  ): Promise<Reply> {
    if (repo.options.statusesHang) await new Promise(() => undefined)
    const permission = this.permissionOf(repo, login)
    if (permission === 'none') return message(404, 'Not Found')
    const deployment = this.deployments.find((d) => d.id === id && d.repo === repo.name)
    if (!deployment) return message(404, 'Not Found')
    if (method === 'GET') return reply(200, [...deployment.statuses].reverse())
    if (method !== 'POST') return message(404, 'Not Found')
    if (permission === 'read') return message(403, 'Resource not accessible by personal access token')
    const input = JSON.parse(body) as Partial<GitHubDeploymentStatus>
    const status = this.addStatus(deployment, login, input)
    return reply(201, status)
  }

  private addStatus(
    deployment: GitHubDeployment,
    creator: string,
    input: Partial<GitHubDeploymentStatus>,
  ): GitHubDeploymentStatus {
    const status: GitHubDeploymentStatus = {
      id: this.nextId++,
      state: input.state ?? 'pending',
      environment_url: input.environment_url ?? '',
      log_url: input.log_url ?? '',
      environment: input.environment ?? deployment.environment,
      description: input.description ?? '',
      creator,
      created_at: new Date().toISOString(),
    }
    deployment.statuses.push(status)
    return status
  }

  // ---------------------------------------------------------------- the webhook

  /** POSTs the `deployment` event to every hook of the repository, signed with the hook's secret. */
  private async deliver(repo: Repo, deployment: GitHubDeployment): Promise<void> {
    const event = {
      action: 'created',
      deployment: this.deploymentJson(deployment),
      repository: this.repoJson(repo),
      sender: this.userJson(deployment.creator),
    }
    for (const hook of repo.hooks.filter((h) => h.events.includes('deployment'))) {
      const json = JSON.stringify(event)
      const form = hook.contentType === 'form'
      const body = form ? new URLSearchParams({ payload: json }).toString() : json
      const signature = createHmac('sha256', hook.secret).update(body).digest('hex')
      const answer = await fetch(hook.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
          'x-github-event': 'deployment',
          'x-github-hook-id': String(hook.id),
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${signature}`,
          'user-agent': 'GitHub-Hookshot/standin',
        },
      })
      const text = await answer.text()
      if (!answer.ok) throw new Error(`${hook.url} answered ${answer.status}: ${text}`)
    }
  }
}

export async function startGitHubStandIn(clientId: string): Promise<GitHubStandIn> {
  const github = new GitHubStandIn(clientId)
  await github.listen()
  return github
}
