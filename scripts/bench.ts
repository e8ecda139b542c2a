// Measures what a user pays for the action, on the Node the runner uses (24), and checks the targets:
//   cold start of dist/index.js doing a complete create   ≤ 3.5 × `node -e 0`
//   size of dist/                                          ≤ 2.5 MB
//   reads of the build per poll interval once it is known  ≤ 1
//   requests per poll with step progress (build + steps)   ≤ 2
//   log requests per step with logs: all                   1
//   time to notice the end of the build                   ≤ one poll interval
//
//   E2E_NODE="$(bash .ci/node24)" npm run bench               full run (about two minutes)
//   E2E_NODE="$(bash .ci/node24)" npm run bench:quick         cold start and size only (about 15 s)
//   E2E_NODE="$(bash .ci/node24)" npm run bench -- --runs 31  more cold-start samples
//   … npm run bench:quick -- --against /tmp/other/dist       also times another build, run for run
// E2E_NODE names the Node that runs the bundle; .ci/node24 prints one (fetching it unless Node 24 is on PATH).
// Exits 1 when a target is missed. A benchmark, not a test: numbers depend on the machine.

import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { startFakeVela, type FakeVela } from '../fake-vela/index.js'
import { ACTION_NODE, ROOT, runAction } from '../fake-runner/run-action.js'

const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : undefined
}
const RUNS = Number(argument('--runs') ?? 21)
const QUICK = process.argv.includes('--quick')
/** Another build's directory, timed in the same rounds, so both see the same load. */
const AGAINST = argument('--against')
const START_TARGET = 3.5
const SIZE_TARGET = 2.5e6
const PAT = 'ghp_benchPersonalAccessToken000000000000'
const SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

function timeSpawn(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(ACTION_NODE, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH },
    })
    child.stdout.resume()
    child.stderr.resume()
    child.on('error', reject)
    child.on('close', () => {
      resolve(Number(process.hrtime.bigint() - started) / 1e6)
    })
  })
}

function setUp(vela: FakeVela, repo: string): void {
  vela.addRepo('octo-org', repo, { refs: { 'refs/heads/main': SHA } })
}

interface ColdStart {
  action: number
  floor: number
  /** The build named by --against, timed in the same rounds. */
  other?: number
}

async function coldStart(vela: FakeVela): Promise<ColdStart> {
  const token = vela.mintToken('octocat', { ttlSeconds: 3600 })
  const create = async (bundle?: string) => {
    const run = await runAction({ server: vela.url, token, repo: 'bench', wait: 'false' }, { bundle })
    if (run.code !== 0) throw new Error(`the action failed during the benchmark:\n${run.stdout}${run.stderr}`)
    return run.elapsedMs
  }
  const bundles = AGAINST ? [undefined, join(AGAINST, 'index.js')] : [undefined]
  for (let i = 0; i < 3; i++) for (const bundle of bundles) await create(bundle) // warm the file cache
  const action: number[] = []
  const other: number[] = []
  const floor: number[] = []
  for (let i = 0; i < RUNS; i++) {
    floor.push(await timeSpawn(['-e', '0']))
    // Alternate which build goes first, so neither always follows the floor's run.
    const order = i % 2 === 0 ? bundles : [...bundles].reverse()
    for (const bundle of order) (bundle ? other : action).push(await create(bundle))
  }
  return { action: median(action), floor: median(floor), ...(AGAINST ? { other: median(other) } : {}) }
}

function distSize(dist = join(ROOT, 'dist')): number {
  return readdirSync(dist).reduce((sum, file) => sum + statSync(join(dist, file)).size, 0)
}

async function requestsPerCreate(vela: FakeVela, token: string): Promise<number> {
  const before = vela.requests.length
  const run = await runAction({ server: vela.url, token, repo: 'bench', wait: 'false' })
  if (run.code !== 0) throw new Error('create failed')
  return vela.requests.length - before
}

/** Waits for a build that ends `buildMs` after it starts; returns requests per interval and detection delay. */
async function followBuild(
  vela: FakeVela,
  pollSeconds: number,
  buildMs: number,
): Promise<{ perInterval: number; detectionMs: number }> {
  const repo = `follow-${pollSeconds}-${buildMs}`
  setUp(vela, repo)
  const webhookDelayMs = 500
  vela.setBuildPlan('octo-org', repo, {
    webhookDelayMs,
    timeline: [
      { status: 'running', afterMs: 0 },
      { status: 'success', afterMs: buildMs },
    ],
  })
  const before = vela.requests.length
  let noticedAt = 0
  const run = await runAction(
    {
      server: vela.url,
      token: vela.mintToken('octocat', { ttlSeconds: 3600 }),
      repo,
      wait: 'true',
      'poll-interval': `${pollSeconds}s`,
      'wait-timeout': '10m',
    },
    {
      onStdout: (text) => {
        if (!noticedAt && /Build #\d+: success/.test(text)) noticedAt = Date.now()
      },
    },
  )
  if (run.code !== 0) throw new Error(`wait failed:\n${run.stdout}`)
  const requests = vela.requests.slice(before)
  const create = requests.find((r) => r.method === 'POST')
  const follows = requests.filter((r) => /\/builds\/\d+$/.test(r.path))
  const first = follows[0]?.time ?? 0
  const last = follows.at(-1)?.time ?? 0
  // Each request's arrival time carries its own network delay, so the span between n polls can fall a few
  // milliseconds short of n - 1 intervals: round, rather than floor, to count the intervals.
  const intervals = Math.round((last - first) / (pollSeconds * 1000)) + 1
  const endedAt = (create?.time ?? 0) + webhookDelayMs + buildMs
  return { perInterval: follows.length / intervals, detectionMs: noticedAt - endedAt }
}

/**
 * Follows a build of several steps with `logs: all`: all requests per poll while it runs (the build and its
 * steps), and log requests per step (each finished step's log is read once).
 */
async function followWithLogs(
  vela: FakeVela,
  stepCount: number,
): Promise<{ perPoll: number; logsPerStep: number }> {
  const repo = `logs-all-${stepCount}`
  setUp(vela, repo)
  const stepMs = 1_500
  vela.setBuildPlan('octo-org', repo, {
    webhookDelayMs: 500,
    timeline: [
      { status: 'running', afterMs: 0 },
      { status: 'success', afterMs: stepCount * stepMs + 200 },
    ],
    steps: Array.from({ length: stepCount }, (_, i) => ({
      name: `step-${i + 1}`,
      status: 'success',
      runMs: stepMs,
      log: Array.from({ length: 200 }, (_, line) => `step ${i + 1} line ${line + 1}`).join('\n'),
    })),
  })
  const before = vela.requests.length
  const run = await runAction({
    server: vela.url,
    token: vela.mintToken('octocat', { ttlSeconds: 3600 }),
    repo,
    wait: 'true',
    'poll-interval': '1s',
    'wait-timeout': '10m',
    logs: 'all',
  })
  if (run.code !== 0) throw new Error(`wait with logs: all failed:\n${run.stdout}`)
  const requests = vela.requests.slice(before)
  // Every poll reads the deployment (until the build is found) or the build, once; a poll that reads logs
  // can outlast the interval, so count per poll rather than per interval.
  const pollReads = requests.filter((r) => /\/deployments\/octo-org\/[^/]+\/\d+$|\/builds\/\d+$/.test(r.path))
  const polls = [...pollReads, ...requests.filter((r) => /\/builds\/\d+\/steps(\?.*)?$/.test(r.path))]
  const pollCount = pollReads.length
  const logs = requests.filter((r) => /\/steps\/\d+\/logs$/.test(r.path))
  return { perPoll: polls.length / pollCount, logsPerStep: logs.length / stepCount }
}

/** The requests and latencies of creating and following, against their targets. */
async function following(vela: FakeVela): Promise<Array<[string, string, string, boolean]>> {
  const withVelaToken = await requestsPerCreate(vela, vela.mintToken('octocat', { ttlSeconds: 3600 }))
  const withPat = await requestsPerCreate(vela, PAT)
  const short = await followBuild(vela, 1, 4_300)
  const normal = await followBuild(vela, 10, 23_700)
  const withLogs = await followWithLogs(vela, 6)

  return [
    ['requests per create, Vela token', String(withVelaToken), '1', withVelaToken === 1],
    ['requests per create, personal access token', String(withPat), '2 (exchange + create)', withPat === 2],
    [
      'reads of the build per poll once it is known (1s)',
      short.perInterval.toFixed(2),
      '≤ 1',
      short.perInterval <= 1,
    ],
    [
      'reads of the build per poll once it is known (10s)',
      normal.perInterval.toFixed(2),
      '≤ 1',
      normal.perInterval <= 1,
    ],
    [
      'requests per poll, build + steps, 6 steps, logs: all (1s)',
      withLogs.perPoll.toFixed(2),
      '≤ 2 (build + steps)',
      withLogs.perPoll <= 2,
    ],
    ['log requests per step, logs: all', withLogs.logsPerStep.toFixed(2), '1', withLogs.logsPerStep === 1],
    [
      'detection latency, poll-interval 1s',
      `${short.detectionMs} ms`,
      '≤ 1000 ms',
      short.detectionMs <= 1_000,
    ],
    [
      'detection latency, poll-interval 10s',
      `${normal.detectionMs} ms`,
      '≤ 10000 ms',
      normal.detectionMs <= 10_000,
    ],
  ]
}

const vela = await startFakeVela()
try {
  vela.addUser('octocat')
  vela.addPat(PAT, 'octocat')
  setUp(vela, 'bench')
  const version = await new Promise<string>((resolve) => {
    const child = spawn(ACTION_NODE, ['--version'])
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.on('close', () => {
      resolve(out.trim())
    })
  })
  if (!version.startsWith('v24.')) {
    throw new Error(
      `the bench measures the bundle on Node 24, the runner's, not ${version}: E2E_NODE="$(bash .ci/node24)" npm run bench`,
    )
  }
  console.log(`Node ${version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; ${RUNS} paired runs\n`)

  const start = await coldStart(vela)
  const size = distSize()
  const ratio = start.action / start.floor
  const rows: Array<[string, string, string, boolean]> = [
    [
      'cold start, complete create (median)',
      `${start.action.toFixed(0)} ms = ${ratio.toFixed(2)} × node -e 0 (${start.floor.toFixed(0)} ms)`,
      `≤ ${START_TARGET} ×`,
      ratio <= START_TARGET,
    ],
    ['size of dist/', `${(size / 1e6).toFixed(2)} MB`, `≤ ${SIZE_TARGET / 1e6} MB`, size <= SIZE_TARGET],
  ]
  if (AGAINST && start.other !== undefined) {
    console.log(
      `--against ${AGAINST}: ${start.other.toFixed(0)} ms = ${(start.other / start.floor).toFixed(2)} × node -e 0, ${(distSize(AGAINST) / 1e6).toFixed(2)} MB\n`,
    )
  }
  if (!QUICK) rows.push(...(await following(vela)))
  console.log('| Measure | Result | Target | Met |')
  console.log('| --- | --- | --- | --- |')
  for (const [measure, result, target, met] of rows)
    console.log(`| ${measure} | ${result} | ${target} | ${met ? 'yes' : 'NO'} |`)
  if (rows.some(([, , , met]) => !met)) process.exitCode = 1
} finally {
  await vela.close()
}
