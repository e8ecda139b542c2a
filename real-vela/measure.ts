// What a user waits for, measured the same way against a real Vela and against the fake: the time from the
// action's start to the create's answer, the requests it makes per poll while it follows the build, and how
// long after the build ends it notices.
import { runAction } from '../fake-runner/run-action.js'
import type { Exchange, RecordingProxy } from './recorder.js'

export interface WaitMeasure {
  /** From the action's start to the create's answer reaching it. */
  createMs: number
  /** Requests from the first read of the build to the read that saw it end, per read of the build. */
  requestsPerPoll: number
  /** From the build's end on the server to the action's read of it. */
  detectionMs: number
}

export interface MeasureTarget {
  proxy: RecordingProxy
  token: string
  org: string
  repo: string
  /** Epoch ms at which the server had the build's end, once it has. */
  buildEndedAt: () => number | undefined
}

const TERMINAL = /"status":"(success|failure|error|canceled|killed)"/
const pathOf = (e: Exchange) => e.path.split('?')[0] ?? ''
const readsBuild = (e: Exchange) => e.method === 'GET' && /\/builds\/\d+$/.test(pathOf(e))
/** A read that can show the build: the build itself, the commit's builds, or the deployment with its builds. */
const showsBuild = (e: Exchange) =>
  e.method === 'GET' && /\/builds(\/\d+)?$|\/deployments\/[^/]+\/[^/]+\/\d+$/.test(pathOf(e))

export async function measureWait(target: MeasureTarget, pollInterval: string): Promise<WaitMeasure> {
  const mark = target.proxy.mark()
  const run = await runAction({
    server: target.proxy.url,
    token: target.token,
    org: target.org,
    repo: target.repo,
    ref: 'main',
    'poll-interval': pollInterval,
    'wait-timeout': '5m',
  })
  if (run.code !== 0) throw new Error(`the measured run failed:\n${run.stdout}`)
  const exchanges = target.proxy.since(mark)
  const startedAt = run.exitedAt - run.elapsedMs
  const create = exchanges.find((e) => e.method === 'POST' && e.path.includes('/deployments/'))
  const endedAt = target.buildEndedAt()
  const noticed = exchanges.find((e) => showsBuild(e) && TERMINAL.test(e.body))
  const first = exchanges.findIndex(readsBuild)
  if (!create || endedAt === undefined || !noticed || first < 0) {
    throw new Error('the measured run did not create, follow and see the end of its build')
  }
  const window = exchanges.slice(first, exchanges.indexOf(noticed) + 1)
  return {
    createMs: create.answeredAt - startedAt,
    requestsPerPoll: window.length / window.filter(readsBuild).length,
    detectionMs: noticed.answeredAt - endedAt,
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** A table of the medians of each side's runs, real beside fake. */
export function measuresTable(pollInterval: string, real: WaitMeasure[], fake: WaitMeasure[]): string {
  const row = (name: string, pick: (m: WaitMeasure) => number, digits = 0) =>
    `| ${name} | ${median(real.map(pick)).toFixed(digits)} | ${median(fake.map(pick)).toFixed(digits)} |`
  return [
    `| poll-interval ${pollInterval}, median of ${real.length} runs | real Vela | fake Vela |`,
    '| --- | --- | --- |',
    row("start to the create's answer (ms)", (m) => m.createMs),
    row('requests per poll while the build runs', (m) => m.requestsPerPoll, 2),
    row("build's end noticed after (ms)", (m) => m.detectionMs),
  ].join('\n')
}
