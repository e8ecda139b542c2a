import { jest } from '@jest/globals'
import type * as Core from '../../src/runner/workflow-commands.js'

// What the action says to the runner (src/runner/workflow-commands.ts, written as @actions/core writes it),
// recorded instead of printed: outputs, failure, masks, log lines and the job summary. The inputs stay real
// INPUT_* variables, read by the real settings.
// Call before importing the code under test: `const core = await recordActionsCore()`.

export interface RecordedCore {
  setOutput: jest.Mock<typeof Core.setOutput>
  setFailed: jest.Mock<typeof Core.setFailed>
  setSecret: jest.Mock<typeof Core.setSecret>
  info: jest.Mock<typeof Core.info>
  warning: jest.Mock<typeof Core.warning>
  debug: jest.Mock<typeof Core.debug>
  startGroup: jest.Mock<typeof Core.startGroup>
  endGroup: jest.Mock<typeof Core.endGroup>
  summary: {
    addRaw: jest.Mock<(text: string, addEOL?: boolean) => RecordedCore['summary']>
    write: jest.Mock<() => Promise<RecordedCore['summary']>>
  }
  /** The outputs set so far, as the runner would store them (strings). */
  outputs(): Record<string, string>
  /** Every line given to info, warning and debug, in order. */
  logged(): string[]
}

export async function recordActionsCore(): Promise<RecordedCore> {
  // Loaded before the mock is registered, so this is the real module; later imports get the mock.
  const real = await import('../../src/runner/workflow-commands.js')
  const summary: RecordedCore['summary'] = {
    addRaw: jest.fn(() => summary),
    write: jest.fn(() => Promise.resolve(summary)),
  }
  const mocks = {
    setOutput: jest.fn<typeof Core.setOutput>(),
    setFailed: jest.fn<typeof Core.setFailed>(),
    setSecret: jest.fn<typeof Core.setSecret>(),
    info: jest.fn<typeof Core.info>(),
    warning: jest.fn<typeof Core.warning>(),
    debug: jest.fn<typeof Core.debug>(),
    startGroup: jest.fn<typeof Core.startGroup>(),
    endGroup: jest.fn<typeof Core.endGroup>(),
    summary,
  }
  jest.unstable_mockModule('../../src/runner/workflow-commands.js', () => ({ ...real, ...mocks }))
  return {
    ...mocks,
    outputs: () =>
      Object.fromEntries(mocks.setOutput.mock.calls.map(([name, value]) => [name, String(value)])),
    logged: () =>
      [mocks.info, mocks.warning, mocks.debug]
        .flatMap((mock) =>
          mock.mock.calls.map(([line], i) => ({ line, order: mock.mock.invocationCallOrder[i] ?? 0 })),
        )
        .sort((a, b) => a.order - b.order)
        .map(({ line }) => line),
  }
}
