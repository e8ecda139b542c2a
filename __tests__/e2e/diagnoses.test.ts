import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type FakeVela } from '../../fake-vela/index.js'
import { errorAnnotation, runAction } from '../../fake-runner/run-action.js'
import { startWebUi, type WebUi } from '../support/network.js'

// Diagnoses from evidence: only Vela's own JSON errors speak for Vela. Pages of web UIs, proxies and
// gateways, and a build that went away, are each called what they are.

const SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'
let vela: FakeVela
let webUi: WebUi
let repoCount = 0

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
  webUi = await startWebUi()
})

afterAll(async () => {
  await webUi.close()
  await vela.close()
})

function freshRepo(): string {
  const name = `diag-${++repoCount}`
  vela.addRepo('octo-org', name, { refs: { 'refs/heads/main': SHA } })
  return name
}

// The other cases of each are in-process, in diagnoses.test.ts.
describe('a server address that is not the Vela API', () => {
  it('is called so at once: a web UI answering 200 with HTML', async () => {
    const run = await runAction({ server: webUi.url, token: vela.mintToken('octocat') })
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toContain(
      `${webUi.url} is not the Vela API: POST /api/v1/deployments/octo-org/web-app answered 200 with a web page`,
    )
    expect(message).toContain('not the web UI')
    expect(webUi.seen).toEqual(['POST /api/v1/deployments/octo-org/web-app'])
    expect(run.outputs.number).toBeUndefined()
  })
})

describe('a build deleted while the action follows it', () => {
  it('is reported as gone, not as a repository Vela does not know', async () => {
    const repo = freshRepo()
    vela.setBuildPlan('octo-org', repo, {
      webhookDelayMs: 100,
      timeline: [{ status: 'running', afterMs: 0 }],
    })
    let deleted = false
    const run = await runAction(
      {
        server: vela.url,
        token: vela.mintToken('octocat'),
        repo,
        wait: 'true',
        'poll-interval': '1s',
        'wait-timeout': '20s',
      },
      {
        onStdout: (text) => {
          const number = /Build #(\d+): running/.exec(text)?.[1]
          if (number !== undefined && !deleted) {
            deleted = true
            vela.deleteBuild('octo-org', repo, Number(number))
          }
        },
      },
    )
    expect(deleted).toBe(true)
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(
      new RegExp(
        `^Vela no longer has build #\\d+ of octo-org/${repo} \\(404: unable to read build octo-org/${repo}/\\d+: record not found\\): it was deleted`,
      ),
    )
    expect(message).not.toMatch(/Enable the repository/)
    expect(run.outputs.number).toMatch(/^\d+$/)
  })
})
