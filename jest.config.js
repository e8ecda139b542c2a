// ESM TypeScript tests: ts-jest transpiles each file on its own; `npm run typecheck` does the type checking.
import { availableParallelism } from 'node:os'

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts', '<rootDir>/fake-vela/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  clearMocks: true,
  testTimeout: 30000,
  // Coverage of the action's own code, in-process: the end-to-end tests run dist/ in child processes, which
  // coverage cannot see, so the core logic must be tested directly. `npm test` enforces the threshold.
  collectCoverageFrom: ['<rootDir>/src/**/*.ts'],
  coverageThreshold: { global: { lines: 90, branches: 90 } },
  coverageReporters: ['text-summary', 'lcov'],
  // The end-to-end tests spend their time waiting on child processes and the clock, not on the CPU, so
  // run more workers than cores: one and a half per core (jest's default is one fewer than the cores, a
  // single worker on two). Measured on two cores: 2 workers 47 s, 3 workers 38 s, 4 workers slower again
  // and loaded enough to push a run past its timing margin. A number, since jest reads "150%" as 150.
  maxWorkers: Math.max(1, Math.floor(availableParallelism() * 1.5)),
  // At most this many `it.concurrent` tests of one describe block at a time (jest's default, made
  // explicit): each spawns a Node process, and twice as many overloaded two cores.
  maxConcurrency: 5,
}
