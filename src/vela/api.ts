import type { z } from 'zod/mini'
import type { Authenticator } from './auth.js'
import type { VelaHttp, VelaResponse } from './http.js'
import type { PreparedRequest, Query, VelaRequest } from './request.js'
import { BadResponseError, VelaHttpError } from './errors.js'
import { logTail, type StepLog } from './step-log.js'
import {
  Build,
  BuildList,
  Deployment,
  DeploymentConfig,
  DeploymentList,
  HookList,
  StepLogBody,
  ServerVersion,
  StepList,
} from './schemas.js'

/** Per-call overrides: the wait bounds each request by its own deadline and cancels on a signal. */
export interface CallOptions {
  timeoutMs?: number
  signal?: AbortSignal
  /**
   * Told when the request is handed to a connection (to Vela, or to a proxy that passes it on): from then on
   * it may reach Vela. Until then (a token exchange, a connection or tunnel not yet open) it provably has not.
   */
  onSend?: () => void
}

/** The body of a create. Vela takes only string parameter values. */
export interface DeploymentRequest {
  ref?: string
  target: string
  task: string
  description: string
  payload: Record<string, string>
}

/** The most Vela returns in one page. */
export const HOOKS_PER_PAGE = 100
export const STEPS_PER_PAGE = 100

type Call = Pick<VelaRequest, 'method' | 'path' | 'query' | 'json' | 'keepTail'>

function createCall(org: string, repo: string, body: DeploymentRequest): Call {
  return { method: 'POST', path: ['api', 'v1', 'deployments', org, repo], json: body }
}

/** The Vela endpoints the action uses, one method each. Knows nothing about GitHub Actions. */
export class VelaApi {
  constructor(
    readonly http: VelaHttp,
    readonly auth: Authenticator,
    private readonly requestTimeoutMs: number,
  ) {}

  /** The create request as `createDeployment` would send it, with `authorization` in place of the token. */
  previewCreate(org: string, repo: string, body: DeploymentRequest, authorization: string): PreparedRequest {
    return this.http.prepare({ ...createCall(org, repo, body), authorization })
  }

  /** Sends once (no retries: a create must not be sent twice), except after a 401 that a new token fixes. */
  async createDeployment(
    org: string,
    repo: string,
    body: DeploymentRequest,
    options: CallOptions = {},
  ): Promise<{ deployment: Deployment; text: string }> {
    const response = await this.send(createCall(org, repo, body), options)
    return { deployment: parse(Deployment, response, 'a deployment'), text: response.text }
  }

  async listDeployments(
    org: string,
    repo: string,
    perPage: number,
    options?: CallOptions,
  ): Promise<Deployment[]> {
    const response = await this.call(['api', 'v1', 'deployments', org, repo], options, {
      per_page: perPage,
    })
    return parse(DeploymentList, response, 'a list of deployments')
  }

  async getDeployment(org: string, repo: string, number: number, options?: CallOptions): Promise<Deployment> {
    const response = await this.call(['api', 'v1', 'deployments', org, repo, String(number)], options)
    return parse(Deployment, response, 'a deployment')
  }

  async getDeploymentConfig(org: string, repo: string, ref: string | undefined, options?: CallOptions) {
    const response = await this.call(['api', 'v1', 'deployments', org, repo, 'config'], options, {
      ref,
    })
    return parse(DeploymentConfig, response, 'a deployment config')
  }

  async listBuilds(org: string, repo: string, query: Query, options?: CallOptions): Promise<Build[]> {
    const response = await this.call(['api', 'v1', 'repos', org, repo, 'builds'], options, query)
    return parse(BuildList, response, 'a list of builds')
  }

  async getBuild(org: string, repo: string, number: number, options?: CallOptions): Promise<Build> {
    const response = await this.call(['api', 'v1', 'repos', org, repo, 'builds', String(number)], options)
    return parse(Build, response, 'a build')
  }

  /** One page of a build's steps, newest first (`id DESC`). */
  async listSteps(org: string, repo: string, build: number, page: number, options?: CallOptions) {
    const path = ['api', 'v1', 'repos', org, repo, 'builds', String(build), 'steps']
    // Page 1 is Vela's default: the first page is asked for as the recorded servers were asked.
    const response = await this.call(path, options, {
      page: page > 1 ? page : undefined,
      per_page: STEPS_PER_PAGE,
    })
    return parse(StepList, response, 'a list of steps')
  }

  /**
   * Cancels a pending or running build (DELETE …/cancel, write permission); Vela answers 400 for any other
   * status. Answers the build as Vela left it.
   */
  async cancelBuild(org: string, repo: string, number: number, options?: CallOptions): Promise<Build> {
    const path = ['api', 'v1', 'repos', org, repo, 'builds', String(number), 'cancel']
    return parse(Build, await this.send({ method: 'DELETE', path }, options), 'a build')
  }

  /**
   * The step's log as text (Vela sends it base64-encoded). With `keepTail`, a log over the response cap is
   * read to its end and its end kept, rather than refused.
   */
  async getStepLog(
    org: string,
    repo: string,
    build: number,
    step: number,
    options: CallOptions & { keepTail?: boolean } = {},
  ): Promise<StepLog> {
    const path = ['api', 'v1', 'repos', org, repo, 'builds', String(build), 'steps', String(step), 'logs']
    const response = await this.send({ method: 'GET', path, keepTail: options.keepTail }, options)
    if (response.cutAtStart) return logTail(response, `GET /${path.join('/')}`)
    const log = parse(StepLogBody, response, 'a log')
    return { text: Buffer.from(log.data ?? '', 'base64').toString('utf8'), cutAtStart: false }
  }

  /** One page of the repository's webhook records, newest first, of every event (Vela filters none). */
  async listHooks(org: string, repo: string, page: number, options?: CallOptions) {
    const response = await this.call(['api', 'v1', 'hooks', org, repo], options, {
      page,
      per_page: HOOKS_PER_PAGE,
    })
    return parse(HookList, response, 'a list of hooks')
  }

  /** The server's release, e.g. "v0.28.8"; `GET /version` needs no token in any version. */
  async getVersion(options: CallOptions = {}): Promise<string> {
    const response = await this.http.send({
      method: 'GET',
      path: ['version'],
      timeoutMs: options.timeoutMs ?? this.requestTimeoutMs,
      signal: options.signal,
    })
    return parse(ServerVersion, response, 'a version').canonical
  }

  private call(path: string[], options?: CallOptions, query?: Query): Promise<VelaResponse> {
    return this.send({ method: 'GET', path, query }, options)
  }

  private async send(call: Call, options: CallOptions = {}): Promise<VelaResponse> {
    const { signal, timeoutMs } = options
    const started = Date.now()
    // A caller's timeout bounds the whole call, a token exchange on its way included.
    const left = () => (timeoutMs === undefined ? undefined : Math.max(1, started + timeoutMs - Date.now()))
    const send = async () => {
      const authorization = await this.auth.authorization({ signal, timeoutMs: left() })
      return this.http.send({
        ...call,
        authorization,
        timeoutMs: left() ?? this.requestTimeoutMs,
        signal,
        onWritten: options.onSend,
      })
    }
    try {
      return await send()
    } catch (error) {
      // Vela checks the token before anything else, so a 401 means nothing was done: safe to send again.
      if (
        error instanceof VelaHttpError &&
        error.status === 401 &&
        (await this.auth.renew({ signal, timeoutMs: left() }))
      ) {
        return send()
      }
      throw error
    }
  }
}

function parse<T extends z.ZodMiniType>(schema: T, response: VelaResponse, what: string): z.infer<T> {
  const result = schema.safeParse(response.body)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')}: ${issue.message})` : ''
    throw new BadResponseError(
      'unexpected-shape',
      `Vela answered ${response.status} but the body is not ${what}${where}`,
      response.status,
    )
  }
  return result.data
}
