// ESM TypeScript tests, each file's types stripped by esbuild; `npm run typecheck` does the type checking.
import { availableParallelism } from 'node:os'

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': '<rootDir>/__tests__/support/esbuild-transform.js',
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts', '<rootDir>/fake-vela/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  clearMocks: true,
  testSequencer: '<rootDir>/__tests__/support/waiting-first-sequencer.js',
  testTimeout: 30000,
  // Coverage of the action's own code, in-process: the end-to-end tests run dist/ in child processes, which
  // coverage cannot see, so the core logic must be tested directly. `npm test` enforces the threshold.
  collectCoverageFrom: ['<rootDir>/src/**/*.ts'],
  coverageThreshold: { global: { lines: 90, branches: 90 } },
  coverageReporters: ['text-summary', 'lcov'],
  // The end-to-end tests spend much of their time waiting on child processes and the clock, so run more
  // workers than cores (jest's default is one fewer than the cores: a single worker on two). Measured on two
  // cores with 849 tests, medians of paired runs: 3 workers 39 s against 35 s with 4; 5 workers no faster
  // than 4 (38 s against 38 s) and more CPU.
  maxWorkers: Math.max(1, availableParallelism() * 2),
  // At most this many `it.concurrent` tests of one describe block at a time (jest's default, made
  // explicit): each spawns a Node process, and twice as many overloaded two cores.
  maxConcurrency: 5,
}
