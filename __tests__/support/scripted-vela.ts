import { expect } from '@jest/globals'
import type { CallOptions, DeploymentRequest, VelaApi } from '../../src/vela/api.js'
import { CancelledError, TokenExchangeError, VelaHttpError } from '../../src/vela/errors.js'
import type { Query } from '../../src/vela/request.js'
import type { Build, Deployment, DeploymentConfig, Step } from '../../src/vela/schemas.js'
import type { VirtualClock } from './virtual-clock.js'

// A Vela in memory for the in-process tests of the action's core (creating, following and cancelling): each
// VelaApi call is answered from a script on the test's virtual clock, and recorded. The deployment is 42 and
// its build #7, unless the script says otherwise.

export type Hook = Awaited<ReturnType<VelaApi['listHooks']>>[number]

export interface VelaCall {
  /** The VelaApi method; for getStepLog, with the step's number after a space. */
  what: string
  /** The clock's time when the call was made. */
  at: number
  /** `org/repo`, for calls that name one. */
  where?: string
  /** The deployment's or the build's number, for calls that name one. */
  number?: number
  timeoutMs?: number
  signal?: AbortSignal
  query?: Query
}

/** What one create attempt gets: a body Vela answers 201 with, an error, or no answer until cancelled. */
export const NO_ANSWER = Symbol('no answer')
export type CreateOutcome = string | Error | typeof NO_ANSWER

export interface VelaScript {
  /** One outcome per create attempt; an attempt beyond these fails the test. */
  creates?: CreateOutcome[]
  /** What each listing of deployments answers; the last one repeats (default none). */
  lists?: Array<Deployment[] | Error>
  /** What the deployment config read answers (default: the read fails the test). */
  config?: DeploymentConfig | Error
  /** The Vela user the token belongs to, as auth.user() tells it (default octocat). */
  user?: string | undefined
  /** Called as each create attempt is sent. */
  onSend?: (attempt: number) => void

  /** When our build appears, in ms after the script starts (default 15 s); Infinity: never. */
  buildAt?: number
  /** Its statuses from an offset in ms after it appeared (default running, then success at 60 s). */
  timeline?: Array<[number, string | undefined]>
  /** Fields of our build besides its number and status (default deploy_number 42 and a link). */
  build?: Partial<Build>
  /** Whether the deployment names our build among its `builds` (default true). */
  linked?: boolean
  /** Builds of other deployments that the list of builds answers too, newest first with ours. */
  others?: Build[]
  /** The build's steps, or its steps as they stand some ms after the build appeared. */
  steps?: Step[] | Error | ((elapsedMs: number) => Step[])
  logs?: Record<number, string | Error>
  /** Every webhook record, newest first; served 100 a page. */
  hooks?: Hook[] | Error
  /** What GET /version answers (default v0.28.8). */
  version?: string | Error
  /** What a cancel of the build answers (default: the build, canceled). */
  cancel?: () => Promise<Build>
  /** An error for a call, when it should fail. */
  fail?: (call: VelaCall) => Error | undefined
  /** How long each call takes, in virtual ms. */
  latencyMs?: number
}

/** The reads of a build being followed: each is bounded by a timeout. */
const BOUNDED = new Set(['getDeployment', 'listBuilds', 'getBuild', 'listSteps', 'getStepLog', 'listHooks'])

export function scriptedVela(clock: VirtualClock, script: VelaScript = {}) {
  const calls: VelaCall[] = []
  const sent: DeploymentRequest[] = []
  const listings: Array<{ where: string; perPage: number }> = []
  const configReads: Array<{ where: string; ref: string | undefined }> = []
  let announceSend: () => void = () => undefined
  const firstSend = new Promise<void>((resolve) => {
    announceSend = resolve
  })
  const startedAt = clock.time
  const buildAt = startedAt + (script.buildAt ?? 15_000)
  const timeline = script.timeline ?? [
    [0, 'running'],
    [60_000, 'success'],
  ]
  const ours = (): Build | undefined => {
    if (clock.time < buildAt) return undefined
    const status = timeline.filter(([at]) => at <= clock.time - buildAt).at(-1)?.[1]
    return { number: 7, deploy_number: 42, link: 'https://vela.test/octo/app/7', ...script.build, status }
  }

  /** Records the call, lets it take its time, and throws the error the script has for it. */
  const call = (what: string, options: CallOptions | undefined, fields: Partial<VelaCall> = {}) => {
    const entry: VelaCall = { what, at: clock.time, timeoutMs: options?.timeoutMs, ...fields }
    if (options?.signal) entry.signal = options.signal
    calls.push(entry)
    if (BOUNDED.has(what.split(' ')[0] ?? '')) expect(options?.timeoutMs).toBeGreaterThan(0)
    clock.time += script.latencyMs ?? 0
    const error = script.fail?.(entry)
    if (error) throw error
  }
  const answer = <T>(value: T | Error | undefined, fallback: T): Promise<T> =>
    value instanceof Error ? Promise.reject(value) : Promise.resolve(value ?? fallback)
  const lists = script.lists ?? [[]]
  const user = 'user' in script ? script.user : 'octocat'

  const api = {
    auth: { user: () => user, expiresAt: () => undefined },
    createDeployment(
      org: string,
      repo: string,
      body: DeploymentRequest,
      options: CallOptions = {},
    ): Promise<{ deployment: Deployment; text: string }> {
      calls.push({ what: 'createDeployment', at: clock.time, where: `${org}/${repo}` })
      sent.push(structuredClone(body))
      const outcome = script.creates?.[sent.length - 1]
      // A failed token exchange ends the call before the request leaves.
      if (!(outcome instanceof TokenExchangeError)) options.onSend?.()
      announceSend()
      script.onSend?.(sent.length)
      if (outcome === undefined) return Promise.reject(new Error(`create sent ${sent.length} times`))
      if (outcome === NO_ANSWER) {
        return new Promise((_resolve, reject) => {
          const signal = options.signal
          if (signal?.aborted) reject(new CancelledError())
          signal?.addEventListener(
            'abort',
            () => {
              reject(new CancelledError())
            },
            { once: true },
          )
        })
      }
      if (outcome instanceof Error) return Promise.reject(outcome)
      return Promise.resolve({ deployment: JSON.parse(outcome) as Deployment, text: outcome })
    },
    listDeployments(org: string, repo: string, perPage: number): Promise<Deployment[]> {
      listings.push({ where: `${org}/${repo}`, perPage })
      const listed = lists[Math.min(listings.length, lists.length) - 1] as Deployment[] | Error
      return answer(listed instanceof Error ? listed : structuredClone(listed), [])
    },
    getDeploymentConfig(org: string, repo: string, ref: string | undefined): Promise<DeploymentConfig> {
      configReads.push({ where: `${org}/${repo}`, ref })
      if (script.config === undefined) return Promise.reject(new Error('no deployment config planned'))
      return answer(script.config, {})
    },
    getDeployment(org: string, repo: string, number: number, options?: CallOptions) {
      call('getDeployment', options, { where: `${org}/${repo}`, number })
      const build = script.linked === false ? undefined : ours()
      // Vela leaves `builds` out while there are none.
      return Promise.resolve({ id: 1, number, ...(build ? { builds: [build] } : {}) } as Deployment)
    },
    listBuilds(org: string, repo: string, query: Query, options?: CallOptions) {
      call('listBuilds', options, { where: `${org}/${repo}`, query })
      const build = ours()
      const builds = [...(script.others ?? []), ...(build ? [build] : [])]
      return Promise.resolve(builds.sort((a, b) => b.number - a.number))
    },
    getBuild(org: string, repo: string, number: number, options?: CallOptions) {
      call('getBuild', options, { where: `${org}/${repo}`, number })
      const build = ours()
      if (!build || build.number !== number)
        throw new VelaHttpError({ method: 'GET', path: '/b', status: 404, serverMessage: 'not found' })
      return Promise.resolve(build)
    },
    // Vela answers 100 steps at most per page.
    listSteps(org: string, repo: string, build: number, page: number, options?: CallOptions) {
      call('listSteps', options, { where: `${org}/${repo}`, number: build, query: { page } })
      const steps = script.steps
      const all = typeof steps === 'function' ? steps(clock.time - buildAt) : steps
      return answer(all instanceof Error ? all : all?.slice((page - 1) * 100, page * 100), [])
    },
    getStepLog(org: string, repo: string, build: number, step: number, options?: CallOptions) {
      call(`getStepLog ${step}`, options, { where: `${org}/${repo}`, number: build })
      const log = script.logs?.[step] ?? ''
      return answer(log instanceof Error ? log : { text: log, cutAtStart: false }, undefined)
    },
    listHooks(org: string, repo: string, page: number, options?: CallOptions) {
      call('listHooks', options, { where: `${org}/${repo}`, query: { page } })
      const hooks = script.hooks
      return answer(hooks instanceof Error ? hooks : (hooks ?? []).slice((page - 1) * 100, page * 100), [])
    },
    // Answers at once: the wait's deadline is measured from before it.
    getVersion(options?: CallOptions) {
      calls.push({ what: 'getVersion', at: clock.time, timeoutMs: options?.timeoutMs })
      return answer(script.version, 'v0.28.8')
    },
    cancelBuild(org: string, repo: string, number: number, options?: CallOptions) {
      call('cancelBuild', options, { where: `${org}/${repo}`, number })
      return script.cancel?.() ?? Promise.resolve({ ...ours(), number, status: 'canceled' })
    },
  }
  return { api: api as unknown as VelaApi, calls, sent, listings, configReads, firstSend }
}
