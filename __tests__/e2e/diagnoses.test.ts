import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startFakeVela, type FakeVela } from '../../fake-vela/index.js'
import { errorAnnotation, runAction } from '../../fake-runner/run-action.js'

// Diagnoses from evidence: only Vela's own JSON errors speak for Vela. Pages of web UIs, proxies and
// gateways, and a build that went away, are each called what they are.

const SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'
let vela: FakeVela
let webUi: Server
let webUiUrl: string
let webUiRequests: string[] = []
let repoCount = 0

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
  // A single-page web UI: the same HTML, status 200, whatever is asked.
  webUi = createServer((req, res) => {
    webUiRequests.push(`${req.method ?? ''} ${req.url ?? ''}`)
    req.resume()
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<!DOCTYPE html><html><head><title>Vela</title></head><body><div id="app"></div></body></html>')
  })
  await new Promise<void>((resolve) => webUi.listen(0, '127.0.0.1', resolve))
  webUiUrl = `http://127.0.0.1:${(webUi.address() as AddressInfo).port}`
})

afterAll(async () => {
  webUi.closeAllConnections()
  await new Promise((resolve) => webUi.close(resolve))
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
    webUiRequests = []
    const run = await runAction({ server: webUiUrl, token: vela.mintToken('octocat') })
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toContain(
      `${webUiUrl} is not the Vela API: POST /api/v1/deployments/octo-org/web-app answered 200 with a web page`,
    )
    expect(message).toContain('not the web UI')
    expect(webUiRequests).toEqual(['POST /api/v1/deployments/octo-org/web-app'])
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
