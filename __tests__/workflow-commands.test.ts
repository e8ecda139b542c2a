import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ours from '../src/runner/workflow-commands.js'

// The action writes workflow commands and the runner's files itself, instead of loading @actions/core (whose
// index loads all of undici). What it writes must be exactly what @actions/core writes for the same call.

type Commands = typeof ours | typeof core

const TEXT = 'line one\nline two\r\n100% done: a, b :: c'

let dir: string
let printed: string[]
const saved = { ...process.env }
const savedExitCode = process.exitCode

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'workflow-commands-'))
  printed = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk))
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = savedExitCode
  rmSync(dir, { recursive: true, force: true })
})

/** What a call printed and left in GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, with its random delimiters named. */
async function effects(call: () => unknown) {
  const output = join(dir, `output-${printed.length}`)
  const summary = join(dir, `summary-${printed.length}`)
  writeFileSync(output, '')
  writeFileSync(summary, '')
  process.env.GITHUB_OUTPUT = output
  process.env.GITHUB_STEP_SUMMARY = summary
  printed = []
  process.exitCode = undefined
  await call()
  const delimiters = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_UUID')
  return {
    stdout: printed.join(''),
    output: delimiters(readFileSync(output, 'utf8')),
    summary: readFileSync(summary, 'utf8'),
    exitCode: process.exitCode,
  }
}

describe('workflow commands, as @actions/core writes them', () => {
  const calls: Array<[string, (m: Commands) => unknown]> = [
    [
      'info',
      (m) => {
        m.info(TEXT)
      },
    ],
    [
      'debug',
      (m) => {
        m.debug(TEXT)
      },
    ],
    [
      'warning',
      (m) => {
        m.warning(TEXT)
      },
    ],
    [
      'a group',
      (m) => {
        m.startGroup(TEXT)
        m.endGroup()
      },
    ],
    [
      'a mask',
      (m) => {
        m.setSecret('s3cr%t\nvalue')
      },
    ],
    [
      'a failure',
      (m) => {
        m.setFailed(TEXT)
      },
    ],
    [
      'outputs',
      (m) => {
        m.setOutput('build-number', 42)
        m.setOutput('ref', TEXT)
      },
    ],
    ['the summary', (m) => m.summary.addRaw('<h2>Deployed</h2>', true).write()],
  ]
  it.each(calls)('writes %s byte for byte', async (_what, call) => {
    const expected = await effects(() => call(core))
    expect(await effects(() => call(ours))).toEqual(expected)
  })

  it('sets outputs as the old command outside a runner, as @actions/core does', async () => {
    const call = (m: Commands) => {
      delete process.env.GITHUB_OUTPUT
      m.setOutput('url', TEXT)
    }
    const expected = await effects(() => {
      call(core)
    })
    expect(
      await effects(() => {
        call(ours)
      }),
    ).toEqual(expected)
  })

  it('refuses to write the summary outside a runner', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(ours.summary.addRaw('x').write()).rejects.toThrow('GITHUB_STEP_SUMMARY')
  })

  it('refuses to write outputs to a GITHUB_OUTPUT file that is not there', () => {
    process.env.GITHUB_OUTPUT = join(dir, 'missing')
    expect(() => {
      ours.setOutput('id', '1')
    }).toThrow('Missing file at path')
  })
})
