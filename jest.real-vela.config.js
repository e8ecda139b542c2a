// The suite that drives the bundled action against a real Vela server: `npm run test:real-vela`, given
// VELA_SERVER_BIN. Not part of `npm test`. One server per run, its scenarios one after another.
import base from './jest.config.js'

export default {
  testEnvironment: base.testEnvironment,
  extensionsToTreatAsEsm: base.extensionsToTreatAsEsm,
  moduleFileExtensions: base.moduleFileExtensions,
  moduleNameMapper: base.moduleNameMapper,
  transform: base.transform,
  testMatch: ['<rootDir>/real-vela/**/*.test.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
}
