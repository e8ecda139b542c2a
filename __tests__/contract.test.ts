import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { startFakeVela, type FakeVela, type VelaEra } from '../fake-vela/index.js'
import { buildRunning, cancelInVela, credentialOf, fakeBuildPlan, inputsOf } from '../real-vela/play.js'
import { RecordingProxy } from '../real-vela/recorder.js'
import { Normaliser, readRecordings, type RecordedExchange, type Recording } from '../real-vela/recording.js'
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
import { Catalogue, kindDifferences, kindOf } from './support/shapes.js'

// The fake Vela held to the real one: every scenario that `npm run test:real-vela` recorded against a real
// server (fake-vela/recordings/<release>/) is played again, in-process, against the fake Vela of that
// release's era, set up as the real server was. The fake must answer every kind of request the action made
// with the status, JSON shape (field names, types, null) and content type the real server did, so that the
// action takes the same path and ends the same way. The fake can never again be kinder than the server.

const action = await inProcessAction()

/** The fake set up as the real server was for the scenario; answers the token the action runs with. */
function setUp(fake: FakeVela, scenario: Scenario, era: VelaEra): string {
  for (const user of [OWNER, READER, REVOKED]) fake.addUser(user)
  if (scenario.repo !== false) {
    fake.addRepo(OWNER, scenario.name, {
      writers: [REVOKED],
      readers: [READER],
      deploymentConfig: scenario.repo?.deployment,
    })
    // v0.22 stores no deployments, so the webhook cannot beat the create's insert there.
    const raced = scenario.repo?.webhook === 'before-answer' && era !== 'v0.22'
    const plan = fakeBuildPlan(stepsOf(scenario), { hang: scenario.hang })
    fake.setBuildPlan(OWNER, scenario.name, { ...plan, webhookBeforeInsert: raced })
  }
  return credentialOf(scenario, {
    personalToken: (user) => {
      const token = `ghp_${randomBytes(18).toString('hex')}`
      fake.addPat(token, user)
      return token
    },
    velaToken: (user) => fake.mintToken(user),
    revokeLogin: (user) => {
      fake.revokeLogin(user)
    },
  })
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

/** The fake's GitHub is github.com; the real server's was the stand-in, written as github.test. */
const asRecorded = (text: string) =>
  text
    .replaceAll('https://api.github.com/', 'http://github.test/api/v3/')
    .replaceAll('https://github.com/', 'http://github.test/')

/** The requests that decide a run's path: every one but a read that succeeded. */
const decisive = (exchanges: RecordedExchange[]) =>
  [...new Set(exchanges.filter((e) => e.method !== 'GET' || (e.status ?? 0) >= 300).map(kindOf))].sort()

describe.each([...new Set(recordings.map((r) => r.release))])('the fake Vela held to real %s', (release) => {
  const played = recordings.filter((r) => r.release === release)
  // Each kind of answer is compared over all the scenarios that met it, in the last two tests: whether one
  // poll more or less falls into a run is a matter of timing, not of what the server answers.
  const real = new Catalogue()
  const fake = new Catalogue()

  it.each(played.map((r) => [r.scenario, r] as const))(
    '%s ends as it did, through the same creates, cancels and refusals',
    async (_scenario, recording) => {
      const exchanges = await replay(recording)
      real.add(recording.exchanges)
      fake.add(exchanges)
      const [failure] = action.core.setFailed.mock.calls.map(([message]) => asRecorded(String(message)))
      expect({ exitCode: failure === undefined ? 0 : 1, failure }).toEqual(recording.outcome)
      expect(decisive(exchanges)).toEqual(decisive(recording.exchanges))
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
