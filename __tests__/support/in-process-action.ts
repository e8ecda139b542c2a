import { afterEach, beforeEach, expect } from '@jest/globals'
import type { FakeVela, RecordedRequest } from '../../fake-vela/index.js'
import { recordActionsCore, type RecordedCore } from './actions-core.js'
import type { VirtualClock } from './virtual-clock.js'

// run() in-process, started as the runner starts the action: inputs are real INPUT_* variables (hyphens kept)
// read by the real getInput, and only what the action prints or sets is recorded. Call it at the top of a
// test file, before anything of src/ is imported: `const action = await inProcessAction()`.
// Time is virtual: the action's sleeps (polls, retry back-off) return at once and move `action.clock`, which
// the fake Vela is given too (`startFakeVela({ now: action.clock.now })`), so builds play out as the action
// sleeps. Sockets and request timeouts stay real.

export interface InProcessAction {
  core: RecordedCore
  /** The action's clock; give the fake Vela its `now`. */
  clock: VirtualClock
  /** Runs the action with these inputs against `vela`; returns the requests Vela received meanwhile. */
  run: (vela: FakeVela, inputs: Record<string, string>) => Promise<RecordedRequest[]>
  /** Everything the run logged, in order, then its failure if it failed. */
  printed: () => string
  /** The one failure the run reported. */
  failure: () => string
  /** The job summary, written exactly once. */
  summaryHtml: () => string
}

export async function inProcessAction(): Promise<InProcessAction> {
  const core = await recordActionsCore()
  const { run } = await import('../../src/main.js')
  const { liveRuntime } = await import('../../src/run/runtime.js')
  const { VirtualClock } = await import('./virtual-clock.js')
  const clock = new VirtualClock(Date.now())
  const saved = { ...process.env }

  beforeEach(() => {
    process.env = Object.fromEntries(
      Object.entries(saved).filter(([key]) => !key.startsWith('INPUT_') && !key.startsWith('GITHUB_')),
    )
    // The fake listens on 127.0.0.1; a proxy configured on the machine must not stand in between.
    process.env.NO_PROXY = process.env.no_proxy = '127.0.0.1'
    process.env.GITHUB_STEP_SUMMARY = 'step-summary.md'
  })

  afterEach(() => {
    process.env = { ...saved }
  })

  return {
    core,
    clock,
    run: async (vela, inputs) => {
      // Each run is a step of its own: it sees only its own inputs, never those of an earlier run.
      process.env = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('INPUT_')),
      )
      for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value
      const before = vela.requests.length
      await run({ ...liveRuntime, clock })
      return vela.requests.slice(before)
    },
    printed: () =>
      [...core.logged(), ...core.setFailed.mock.calls.map(([message]) => String(message))].join('\n'),
    failure: () => {
      expect(core.setFailed).toHaveBeenCalledTimes(1)
      return String(core.setFailed.mock.calls[0]?.[0])
    },
    summaryHtml: () => {
      expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
      expect(core.summary.write).toHaveBeenCalledTimes(1)
      return String(core.summary.addRaw.mock.calls[0]?.[0])
    },
  }
}
