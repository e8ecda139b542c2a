import { beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import {
  startFakeVela,
  type BuildPlan,
  type BuildStepPlan,
  type FakeVela,
  type VelaEra,
} from '../fake-vela/index.js'
import { buildRunning, cancelInVela, inputsOf } from '../real-vela/play.js'
import { RecordingProxy } from '../real-vela/recorder.js'
import { Normaliser, readRecordings, type Recording } from '../real-vela/recording.js'
import {
  ERA_OF,
  OWNER,
  READER,
  REVOKED,
  scenarioNamed,
  stepsOf,
  type Scenario,
} from '../real-vela/scenarios.js'
import { inProcessAction } from './support/in-process-action.js'
import { Catalogue, kindDifferences } from './support/shapes.js'

// The fake Vela held to the real one: every scenario that `npm run test:real-vela` recorded against a real
// server (fake-vela/recordings/<release>/) is played again, in-process, against the fake Vela of that
// release's era, set up as the real server was. The fake must answer every kind of request the action made
// with the status, JSON shape (field names, types, null) and content type the real server did, so that the
// action takes the same path and ends the same way. The fake can never again be kinder than the server.

const action = await inProcessAction()

/** How long each step runs on the real server's worker stand-in. */
const STEP_MS = 300
const WEBHOOK_MS = 500

/** The build as the worker stand-in runs it: init, clone, then the pipeline's steps, one after another. */
function buildPlanOf(scenario: Scenario, era: VelaEra): BuildPlan {
  const steps: BuildStepPlan[] = [
    { name: 'init', status: 'success', log: '$ init\n' },
    { name: 'clone', status: 'success', log: '$ clone\n' },
    ...stepsOf(scenario),
  ].map((step) => ({ ...step, runMs: scenario.hang ? 3_600_000 : STEP_MS }))
  const failed = steps.some((s) => s.status === 'failure')
  return {
    webhookDelayMs: WEBHOOK_MS,
    webhookBeforeInsert:
      scenario.repo !== false && scenario.repo?.webhook === 'before-answer' && era !== 'v0.22',
    steps,
    timeline: [
      { status: 'pending', afterMs: 0 },
      { status: 'running', afterMs: STEP_MS },
      ...(scenario.hang
        ? []
        : [{ status: failed ? 'failure' : 'success', afterMs: STEP_MS * (steps.length + 1) }]),
    ],
  }
}

/** The fake set up as the real server was for the scenario; answers the token the action runs with. */
function setUp(fake: FakeVela, scenario: Scenario, era: VelaEra): string {
  for (const user of [OWNER, READER, REVOKED]) fake.addUser(user)
  if (scenario.repo !== false) {
    fake.addRepo(OWNER, scenario.name, {
      writers: [REVOKED],
      readers: [READER],
      deploymentConfig: scenario.repo?.deployment,
    })
    fake.setBuildPlan(OWNER, scenario.name, buildPlanOf(scenario, era))
  }
  const pat = (user: string) => {
    const token = `ghp_${randomBytes(18).toString('hex')}`
    fake.addPat(token, user)
    return token
  }
  switch (scenario.credential) {
    case 'owner-pat':
      return pat(OWNER)
    case 'owner-vela-token':
      return fake.mintToken(OWNER)
    case 'unknown-pat':
      return `ghp_${randomBytes(18).toString('hex')}`
    case 'foreign-vela-token':
      return fake.mintToken(OWNER, { badSignature: true })
    case 'reader-pat':
      return pat(READER)
    case 'revoked-pat':
      fake.revokeLogin(REVOKED)
      return pat(REVOKED)
  }
}

/** Plays the recording's scenario against the fake of its era; answers the exchanges, normalised. */
async function replay(recording: Recording) {
  const scenario = scenarioNamed(recording.scenario)
  const era = ERA_OF[recording.release]
  const fake = await startFakeVela({ era, now: action.clock.now, webUiAddr: 'http://vela-ui.test' })
  const proxy = new RecordingProxy(fake.url)
  await proxy.listen()
  try {
    const token = setUp(fake, scenario, era)
    const owner = { url: fake.url, ownerToken: fake.mintToken(OWNER) }
    const inputs = await inputsOf(scenario, owner, proxy, token)
    void buildRunning(scenario, proxy).then(async () => {
      // As the runner's signal would: after the action has what it read.
      if (scenario.cancel === 'runner') setImmediate(() => process.emit('SIGINT', 'SIGINT'))
      if (scenario.cancel === 'vela') await cancelInVela(scenario, owner)
    })
    // The runner starts the action a moment after the scenario is set up, as it did on the real server.
    await action.clock.sleep(1_000)
    await action.run(fake, inputs)
    return new Normaliser({ [proxy.url]: 'http://vela.test', [fake.url]: 'http://vela.test' }).exchanges(
      proxy.exchanges,
    )
  } finally {
    await proxy.close()
    await fake.close()
  }
}

const recordings = readRecordings()

describe.each([...new Set(recordings.map((r) => r.release))])('the fake Vela held to real %s', (release) => {
  const played = recordings.filter((r) => r.release === release)
  const real = new Catalogue()
  const fake = new Catalogue()
  const failed = new Map<string, boolean>()

  // Every scenario first, so each kind of answer is compared over all the runs that met it: when one poll
  // more or less falls into a run is a matter of timing, not of what the server answers.
  beforeAll(async () => {
    for (const recording of played) {
      real.add(recording.exchanges)
      fake.add(await replay(recording))
      failed.set(recording.scenario, action.core.setFailed.mock.calls.length > 0)
      action.core.setFailed.mockClear()
    }
  })

  it.each(played.map((r) => [r.scenario, r.outcome.exitCode !== 0] as const))(
    '%s ends as it did against the real server',
    (scenario, realFailed) => {
      expect(failed.get(scenario)).toBe(realFailed)
    },
  )

  it('answers every kind of request the action made of the real server, with the same status', () => {
    const missing = [...real.kinds.keys()].filter((kind) => !fake.kinds.has(kind))
    const extra = [...fake.kinds.keys()].filter((kind) => !real.kinds.has(kind))
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
  })

  it('answers each kind with the JSON shape and content type the real server did', () => {
    const differences = [...real.kinds].flatMap(([key, kind]) => {
      const ours = fake.kinds.get(key)
      return ours ? kindDifferences(kind, ours).map((d) => `${key}: ${d}`) : []
    })
    expect(differences).toEqual([])
  })
})
