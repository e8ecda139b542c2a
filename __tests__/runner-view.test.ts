import { describe, expect, it } from '@jest/globals'
import { logText, readRunnerLog } from '../fake-runner/runner-view.js'

// The log viewer that `npm run demo` and `npm run screenshots` show runs through: it must carry out the
// runner's commands rather than print them, or the demo shows a newcomer what looks like a leaked token.

const STDOUT = [
  '::add-mask::ghp_secret',
  'Exchanging ghp_secret',
  '::add-mask::line one%0Aline two',
  'then line two alone',
  '::group::Step "deploy" ended in failure',
  '::stop-commands::f00d',
  '::error::forged by the build',
  'token ghp_secret in a build log',
  '::f00d::',
  '::endgroup::',
  '::warning::payload key%25s',
  '::error title=x::Build #1 failed%0Asecond line',
  '::debug::Error: stack%0A    at run',
  '::set-output name=a::b',
  'done',
].join('\n')

describe('the runner log view', () => {
  it('masks, hides commands and debug lines, folds groups and shows annotations', () => {
    expect(logText(readRunnerLog(STDOUT))).toEqual([
      'Exchanging ***',
      'then *** alone',
      '▶ Step "deploy" ended in failure  (2 lines folded)',
      'Warning: payload key%s',
      'Error: Build #1 failed\nsecond line',
      'done',
    ])
  })

  it('opens groups and shows debug lines when asked, commands inside stop-commands as text', () => {
    const shown = logText(readRunnerLog(STDOUT), { expand: true, debug: true })
    expect(shown.slice(2, 5)).toEqual([
      '▼ Step "deploy" ended in failure',
      '  ::error::forged by the build',
      '  token *** in a build log',
    ])
    expect(shown).toContain('##[debug]Error: stack')
    expect(shown).toContain('##[debug]    at run')
  })
})
