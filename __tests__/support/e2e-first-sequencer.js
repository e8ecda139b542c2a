import Sequencer from '@jest/test-sequencer'

// Starts the end-to-end files first, and the quick in-process files after them. The end-to-end files spend
// most of their time on child processes and the fake server's clock, so the in-process files fill the gaps
// and the run ends with short files rather than a long one. Jest's own order does the same only once a run
// has left timings in its cache; a fresh clone has none and sorts by file size.
export default class EndToEndFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests)
    const endToEnd = (test) => test.path.includes('/__tests__/e2e/')
    return [...sorted.filter(endToEnd), ...sorted.filter((test) => !endToEnd(test))]
  }
}
