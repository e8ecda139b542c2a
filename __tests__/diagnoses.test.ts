import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type FakeVela } from '../fake-vela/index.js'
import { inProcessAction } from './support/in-process-action.js'
import { startWebUi, type WebUi } from './support/network.js'

// Diagnoses from evidence, run() in-process: only Vela's own JSON errors speak for Vela. Pages of web UIs,
// proxies and gateways, and a build that went away, are each called what they are.

const action = await inProcessAction()
const { core, failure } = action

const ORG = 'octo-org'
const PAT = 'ghp_diagnosesPersonalAccessToken000000000'
let vela: FakeVela
let webUi: WebUi

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test', now: action.clock.now })
  vela.addUser('octocat')
  vela.addPat(PAT, 'octocat')
  vela.addRepo(ORG, 'web-app')
  vela.addRepo(ORG, 'behind-proxy')
  vela.addRepo(ORG, 'deleted-build')
  vela.setBuildPlan(ORG, 'deleted-build', {
    webhookDelayMs: 0,
    timeline: [{ status: 'running', afterMs: 0 }],
  })
  webUi = await startWebUi()
})

afterAll(async () => {
  await webUi.close()
  await vela.close()
})

describe('a server address that is not the Vela API', () => {
  it.each([
    ['a Vela access token', () => vela.mintToken('octocat'), 'POST /api/v1/deployments/octo-org/web-app'],
    ['a personal access token', () => PAT, 'POST /authenticate/token'],
  ])('is called so at once with %s: a web UI answering 200 with HTML', async (_name, token, first) => {
    webUi.seen.length = 0
    await action.run(vela, { server: webUi.url, token: token(), org: ORG, repo: 'web-app', wait: 'false' })

    const message = failure()
    expect(message).toContain(`${webUi.url} is not the Vela API: ${first} answered 200 with a web page`)
    expect(message).toContain('not the web UI')
    expect(message).not.toMatch(/may or may not/)
    // Neither sent again nor looked up: the page is the evidence.
    expect(webUi.seen).toEqual([first])
    expect(core.outputs().number).toBeUndefined()
  })

  it("is not blamed on the repository when a proxy's 404 page answers", async () => {
    vela.injectFault(
      { method: 'POST', path: /\/deployments\/octo-org\/behind-proxy$/ },
      {
        kind: 'status',
        status: 404,
        contentType: 'text/html',
        body: '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>',
      },
    )
    await action.run(vela, {
      server: vela.url,
      token: vela.mintToken('octocat'),
      org: ORG,
      repo: 'behind-proxy',
      wait: 'false',
    })

    const message = failure()
    expect(message).toMatch(
      new RegExp(
        `^${vela.url} has no Vela API at /api/v1/deployments/octo-org/behind-proxy \\(HTTP 404, text/html, body starts "404 Not Found`,
      ),
    )
    expect(message).toContain('Check the server input')
    expect(message).not.toMatch(/Enable the repository/)
    expect(vela.deploymentsOf(ORG, 'behind-proxy')).toHaveLength(0)
  })

  it('is not blamed on the repository when the path prefix is wrong', async () => {
    await action.run(vela, {
      server: `${vela.url}/vela`,
      token: vela.mintToken('octocat'),
      org: ORG,
      repo: 'web-app',
      wait: 'false',
    })

    const message = failure()
    expect(message).toMatch(
      new RegExp(`^${vela.url}/vela has no Vela API at /vela/api/v1/deployments/octo-org/web-app`),
    )
    expect(message).not.toMatch(/Enable the repository/)
  })
})

describe('a build deleted while the action follows it', () => {
  afterEach(() => {
    core.info.mockReset()
  })

  it('is reported as gone, not as a repository Vela does not know', async () => {
    let deleted = false
    core.info.mockImplementation((line) => {
      const number = /^Build #(\d+): running/.exec(line)?.[1]
      if (number !== undefined && !deleted) {
        deleted = true
        vela.deleteBuild(ORG, 'deleted-build', Number(number))
      }
    })
    await action.run(vela, {
      server: vela.url,
      token: vela.mintToken('octocat'),
      org: ORG,
      repo: 'deleted-build',
      'poll-interval': '1s',
      'wait-timeout': '20s',
    })

    expect(deleted).toBe(true)
    const message = failure()
    expect(message).toMatch(
      new RegExp(
        `^Vela no longer has build #\\d+ of ${ORG}/deleted-build \\(404: unable to read build ${ORG}/deleted-build/\\d+: record not found\\): it was deleted`,
      ),
    )
    expect(message).not.toMatch(/Enable the repository/)
    expect(core.outputs().number).toMatch(/^\d+$/)
  })
})
