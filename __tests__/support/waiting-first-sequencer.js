import { readFileSync } from 'node:fs'
import Sequencer from '@jest/test-sequencer'

// Starts the files that spend their time waiting before the ones that compute: first the end-to-end files
// (child processes on a real clock), then the in-process files that talk to a fake Vela over sockets, then
// the rest. The quick files then fill the gaps, and the run ends with short files rather than a long one.
// Jest's own order does much the same once a run has left timings in its cache; a fresh clone has none, and
// jest then sorts by file size. Within each group, jest's order stands.
const STARTS_A_FAKE_VELA = /\b(startFakeVela|useEraServers)\(/

export default class WaitingFirst extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      if (test.path.includes('/__tests__/e2e/')) return 0
      return STARTS_A_FAKE_VELA.test(readFileSync(test.path, 'utf8')) ? 1 : 2
    }
    const sorted = super.sort(tests)
    return [0, 1, 2].flatMap((group) => sorted.filter((test) => rank(test) === group))
  }
}
