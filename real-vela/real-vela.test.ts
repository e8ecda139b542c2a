import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { errorAnnotation, runAction, cancelLikeTheRunner, type ActionRun } from '../fake-runner/run-action.js'
import { buildRunning, cancelInVela, credentialOf, fakeBuildPlan, inputsOf, untilBuilt } from './play.js'
import { RecordingProxy, type Exchange } from './recorder.js'
import { Normaliser, writeRecording } from './recording.js'
import {
  ERA_OF,
  OWNER,
  pipelineOf,
  READER,
  REVOKED,
  scenarioNamed,
  scenariosOf,
  stepsOf,
  type Scenario,
} from './scenarios.js'
import { startFakeVela } from '../fake-vela/index.js'
import { measureWait, measuresTable, type WaitMeasure } from './measure.js'
import { releaseOf, RealVela } from './server.js'

// The bundled action against a real go-vela/server (VELA_SERVER_BIN), with the GitHub and worker stand-ins
// in place of GitHub and a worker. Each scenario runs as the runner runs the action; what the server
// answered is recorded beside the fake Vela, which the contract test then holds to it.

const bin = process.env.VELA_SERVER_BIN ?? ''
const release = await releaseOf(bin)

let vela: RealVela
let proxy: RecordingProxy
let ownerToken: string
let normaliser: Normaliser
/** What went wrong beside the action: a cancel the scenario could not make. */
const troubles: string[] = []

beforeAll(async () => {
  ;({ vela, ownerToken } = await RealVela.start(bin, release, OWNER))
  await vela.login(READER)
  await vela.login(REVOKED)
  proxy = new RecordingProxy(vela.url)
  await proxy.listen()
  normaliser = new Normaliser({
    [proxy.url]: 'http://vela.test',
    [vela.url]: 'http://vela.test',
    [vela.github.url]: 'http://github.test',
  })
}, 120_000)

afterAll(async () => {
  // Set-up may have stopped part way: stop what started.
  const server = vela as RealVela | undefined
  const errors = [...troubles, ...(server?.worker.errors ?? []), ...(server?.github.errors ?? [])]
  await (proxy as RecordingProxy | undefined)?.close()
  await server?.stop()
  expect(errors).toEqual([])
})

interface Played {
  run: ActionRun
  exchanges: Exchange[]
}

async function setUp(scenario: Scenario): Promise<void> {
  const repo = {
    pipeline: pipelineOf(scenario),
    permissions: { [READER]: 'read', [REVOKED]: 'write' } as const,
    webhook: scenario.repo ? scenario.repo.webhook : undefined,
  }
  if (scenario.repo === false) {
    vela.github.addRepo(OWNER, scenario.name, repo)
    return
  }
  await vela.enableRepo(ownerToken, OWNER, scenario.name, repo)
  vela.worker.script(OWNER, scenario.name, {
    steps: Object.fromEntries(stepsOf(scenario).map((s) => [s.name, s])),
    ending: scenario.hang ? 'hang' : 'finish',
  })
}

const failure = (run: ActionRun) => errorAnnotation(run) ?? ''

const ENVIRONMENT_URL = 'https://web-app.example.test/'

async function play(scenario: Scenario): Promise<Played> {
  await setUp(scenario)
  const owner = { url: vela.url, ownerToken }
  const { github } = vela
  const token = credentialOf(scenario, {
    personalToken: (user) => github.addPersonalToken(user),
    velaToken: () => ownerToken,
    revokeLogin: (user) => {
      github.revokeOAuth(user)
    },
  })
  const inputs = await inputsOf(scenario, owner, proxy, token)
  if (scenario.environmentUrl) {
    inputs['environment-url'] = ENVIRONMENT_URL
    inputs['github-token'] = github.addPersonalToken(OWNER)
  }
  if (scenario.attach) await untilBuilt(scenario, owner)
  const running = buildRunning(scenario, proxy)
  const mark = proxy.mark()
  const run = await runAction(inputs, {
    env: { GITHUB_API_URL: `${github.url}/api/v3` },
    onSpawn: (child) => {
      const cancel = async () => {
        if (scenario.cancel === 'runner') cancelLikeTheRunner(child)
        if (scenario.cancel === 'vela') await cancelInVela(scenario, owner)
      }
      if (scenario.cancel) {
        void running.then(cancel).catch((error: unknown) => {
          troubles.push(`${scenario.name}: the cancel failed: ${String(error)}`)
        })
      }
    },
  })
  await github.deliveriesDone()
  vela.worker.forget(OWNER, scenario.name)
  keepLog(scenario.name, run)
  const exchanges = proxy.since(mark)
  writeRecording({
    release,
    scenario: scenario.name,
    recordedOn: new Date().toISOString().slice(0, 10),
    outcome: { exitCode: run.code, failure: normaliser.text(failure(run)) || undefined },
    exchanges: normaliser.exchanges(exchanges),
  })
  return { run, exchanges }
}

/** With REAL_VELA_LOGS set to a directory, each run's output is kept there to read. */
function keepLog(name: string, run: ActionRun): void {
  const dir = process.env.REAL_VELA_LOGS
  if (!dir) return
  mkdirSync(join(dir, release), { recursive: true })
  writeFileSync(
    join(dir, release, `${name}.log`),
    `${run.stdout}\n${run.stderr}\n--- summary\n${run.summary}`,
  )
}

async function buildsOf(repo: string): Promise<Array<{ number: number; status: string }>> {
  return (await vela.api('GET', `/api/v1/repos/${OWNER}/${repo}/builds`, ownerToken)) as Array<{
    number: number
    status: string
  }>
}

/** The scenarios that end in one failure line, with what it must say: Vela's status and its reason. */
const REFUSED: Record<string, RegExp> = {
  'target-not-allowed': /\(400: .*staging/,
  'parameter-not-allowed': /\(400: .*region/,
  'unknown-pat': /\(401: /,
  'foreign-vela-token': /\(401: /,
  'no-write-access': /\(401: .*'write'/,
  'repo-not-enabled': /\(404: /,
  'unknown-ref': /\(500: .*no-such-branch/,
  // v0.22 reads deployments from GitHub with the same revoked login, so the search after the 500 fails too.
  'login-revoked': /500: .*Bad credentials/,
}

/** Fails with that line, and nothing was deployed. */
const refused =
  (name: string, line: RegExp) =>
  ({ run }: Played) => {
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(line)
    expect(vela.github.deploymentsOf(OWNER, name)).toEqual([])
  }

/** What a user sees in each scenario. */
const EXPECTATIONS: Record<string, (played: Played, scenario: Scenario) => Promise<void> | void> = {
  'create-with-pat': ({ run, exchanges }) => {
    expect(run.code).toBe(0)
    expect(exchanges.map((e) => `${e.method} ${e.status}`)).toEqual(['POST 200', 'POST 201'])
    expect(vela.github.deploymentsOf(OWNER, 'create-with-pat')).toHaveLength(1)
    expect(run.outputs.number).toBe(String(vela.github.deploymentsOf(OWNER, 'create-with-pat')[0]?.id))
  },
  'create-with-vela-token': ({ run, exchanges }) => {
    expect(run.code).toBe(0)
    expect(exchanges.map((e) => `${e.method} ${e.status}`)).toEqual(['POST 201'])
  },
  'wait-success': ({ run }) => {
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      'build-status': 'success',
      'build-number': '1',
      'build-url': 'http://vela-ui.test/octocat/wait-success/1',
    })
  },
  'wait-failure': ({ run }) => {
    expect(run.code).toBe(1)
    expect(failure(run)).toContain('Build #1 ended with status failure')
    // The failed step's last lines, in the log and in the summary.
    expect(run.stdout).toMatch(/more lines not shown[\s\S]*deploy line 80\nError: rollout failed/)
    expect(run.stdout).not.toMatch(/^deploy line 1$/m)
    expect(run.summary).toContain('Error: rollout failed')
    expect(run.outputs['build-status']).toBe('failure')
  },
  'logs-all': ({ run }) => {
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('migrated 3 tables')
    expect(run.stdout).toContain('deployed v1.2.3')
  },
  'environment-url': ({ run }) => {
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(/^::warning::/m)
    expect(run.outputs['environment-url']).toBe(ENVIRONMENT_URL)
    const [deployment] = vela.github.deploymentsOf(OWNER, 'environment-url')
    const statuses = deployment?.statuses ?? []
    // Vela's own statuses first, its final one included; then the action's, the latest, carrying the URL.
    expect(statuses.slice(0, -1).map((s) => s.state)).toContain('success')
    expect(statuses.slice(0, -1).every((s) => s.environment_url === '')).toBe(true)
    expect(statuses.at(-1)).toMatchObject({
      state: 'success',
      environment_url: ENVIRONMENT_URL,
      log_url: run.outputs['build-url'],
      environment: 'production',
    })
    expect(statuses.filter((s) => s.environment_url !== '')).toHaveLength(1)
  },
  attach: ({ run }) => {
    expect(run.code).toBe(0)
    expect(run.outputs['build-status']).toBe('success')
    expect(vela.github.deploymentsOf(OWNER, 'attach')).toHaveLength(1)
  },
  'dry-run': ({ run, exchanges }) => {
    expect(run.code).toBe(0)
    expect(exchanges).toEqual([])
  },
  'cancel-on-job-cancel': async ({ run }) => {
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(
      /^Cancelled while waiting: build #1 was running .*Build #1 was cancelled in Vela/,
    )
    expect((await buildsOf('cancel-on-job-cancel'))[0]?.status).toBe('canceled')
  },
  'cancel-on-wait-timeout': async ({ run }) => {
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(/Timed out/)
    expect((await buildsOf('cancel-on-wait-timeout'))[0]?.status).toBe('canceled')
  },
  'cancelled-in-vela': ({ run }) => {
    expect(run.code).toBe(1)
    expect(run.outputs['build-status']).toBe('canceled')
  },
  ...Object.fromEntries(Object.entries(REFUSED).map(([name, line]) => [name, refused(name, line)])),
  'lost-create-answer': ({ run }) => {
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/answer was lost/)
    expect(vela.github.deploymentsOf(OWNER, 'lost-create-answer')).toHaveLength(1)
    expect(run.outputs['build-status']).toBe('success')
  },
  'webhook-before-create': ({ run, exchanges }) => {
    // The race happened: from v0.23 on, Vela holds the deployment before the create stores it, and says 500.
    const create = exchanges.find((e) => e.method === 'POST' && e.path.startsWith('/api/v1/deployments/'))
    expect(create?.status).toBe(release === 'v0.22.2' ? 201 : 500)
    expect(run.code).toBe(0)
    expect(vela.github.deploymentsOf(OWNER, 'webhook-before-create')).toHaveLength(1)
    expect(run.outputs['build-status']).toBe('success')
  },
}

describe(`Vela ${release}, run for real`, () => {
  it.each(scenariosOf(release).map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    async (_name, scenario) => {
      const played = await play(scenario)
      try {
        await EXPECTATIONS[scenario.name]?.(played, scenario)
      } catch (error) {
        const github = vela.github.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join('\n')
        console.log(
          `${scenario.name}: the action printed\n${played.run.stdout}\n${played.run.stderr}\nGitHub answered\n${github}\nThe server logged\n${vela.serverLog().slice(-4000)}`,
        )
        throw error
      }
    },
  )
})

describe(`Vela ${release} and the fake of its era, measured side by side`, () => {
  const REPO = 'measure'
  /** Runs of each side, and how long each of the build's three steps takes: a few polls' worth. */
  const PLANS: Record<string, { runs: number; stepMs: number }> = {
    '1s': { runs: 5, stepMs: 1_000 },
    '10s': { runs: 2, stepMs: 5_000 },
  }

  it.each(Object.keys(PLANS))('poll-interval %s', async (pollInterval) => {
    const { runs, stepMs } = PLANS[pollInterval] ?? { runs: 1, stepMs: 1_000 }
    await vela.enableRepo(ownerToken, OWNER, `${REPO}-${pollInterval}`, {
      pipeline: pipelineOf(scenarioNamed('wait-success')),
    })
    vela.worker.script(OWNER, `${REPO}-${pollInterval}`, { stepMs })
    const real: WaitMeasure[] = []
    for (let i = 0; i < runs; i++) {
      const before = vela.worker.worked.length
      real.push(
        await measureWait(
          {
            proxy,
            token: vela.github.addPersonalToken(OWNER),
            org: OWNER,
            repo: `${REPO}-${pollInterval}`,
            buildEndedAt: () => vela.worker.worked.slice(before).find((w) => w.finishedAt)?.finishedAt,
          },
          pollInterval,
        ),
      )
    }
    const fake = await measureFake(pollInterval, runs, stepMs)
    console.log(
      `Vela ${release}, measured ${new Date().toISOString().slice(0, 10)}:\n${measuresTable(pollInterval, real, fake)}`,
    )
  })
})

/** The same runs against the fake Vela of the release's era, its build timed as the worker stand-in runs it. */
async function measureFake(pollInterval: string, runs: number, stepMs: number): Promise<WaitMeasure[]> {
  const fake = await startFakeVela({ era: ERA_OF[release], webUiAddr: 'http://vela-ui.test' })
  const fakeProxy = new RecordingProxy(fake.url)
  await fakeProxy.listen()
  fake.addUser(OWNER)
  fake.addRepo(OWNER, 'measure')
  fake.setBuildPlan(OWNER, 'measure', fakeBuildPlan(stepsOf(scenarioNamed('wait-success')), { stepMs }))
  const measures: WaitMeasure[] = []
  try {
    for (let i = 0; i < runs; i++) {
      const pat = `ghp_${randomBytes(18).toString('hex')}`
      fake.addPat(pat, OWNER)
      const before = fake.buildsOf(OWNER, 'measure').length
      let endedAt: number | undefined
      const watch = setInterval(() => {
        const build = fake.buildsOf(OWNER, 'measure')[before]
        if (endedAt === undefined && build?.status === 'success') endedAt = Date.now()
      }, 5)
      try {
        measures.push(
          await measureWait(
            { proxy: fakeProxy, token: pat, org: OWNER, repo: 'measure', buildEndedAt: () => endedAt },
            pollInterval,
          ),
        )
      } finally {
        clearInterval(watch)
      }
    }
  } finally {
    await fakeProxy.close()
    await fake.close()
  }
  return measures
}
