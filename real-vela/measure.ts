// What a user waits for, measured the same way against a real Vela and against the fake: the time from the
// action's start to the create's answer, the requests it makes per poll while it follows the build, and how
// long after the build ends it notices.
import { runAction } from '../fake-runner/run-action.js'
import type { Exchange, RecordingProxy } from './recorder.js'

export interface WaitMeasure {
  /** From the action's start to the create's answer reaching it. */
  createMs: number
  /** Requests from the first read of the build to the last, per read of the build. */
  requestsPerPoll: number
  /** From the build's end on the server to the action saying so. */
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

const readsBuild = (e: Exchange) => e.method === 'GET' && /\/builds\/\d+$/.test(e.path.split('?')[0] ?? '')

export async function measureWait(target: MeasureTarget, pollInterval: string): Promise<WaitMeasure> {
  const mark = target.proxy.mark()
  let noticedAt: number | undefined
  const run = await runAction(
    {
      server: target.proxy.url,
      token: target.token,
      org: target.org,
      repo: target.repo,
      ref: 'main',
      'poll-interval': pollInterval,
      'wait-timeout': '5m',
    },
    {
      // The moment the user reads that the build ended.
      onStdout: (text) => {
        if (noticedAt === undefined && /Build #\d+: success/.test(text)) noticedAt = Date.now()
      },
    },
  )
  if (run.code !== 0) throw new Error(`the measured run failed:\n${run.stdout}`)
  const exchanges = target.proxy.since(mark)
  const startedAt = run.exitedAt - run.elapsedMs
  const create = exchanges.find((e) => e.method === 'POST' && e.path.includes('/deployments/'))
  const endedAt = target.buildEndedAt()
  const first = exchanges.findIndex(readsBuild)
  const last = exchanges.findLastIndex(readsBuild)
  if (!create || endedAt === undefined || noticedAt === undefined || first < 0) {
    throw new Error('the measured run did not create, follow and see the end of its build')
  }
  const polls = exchanges.slice(first, last + 1)
  return {
    createMs: create.answeredAt - startedAt,
    requestsPerPoll: polls.length / polls.filter(readsBuild).length,
    detectionMs: noticedAt - endedAt,
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
