import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type FakeVela } from '../../fake-vela/index.js'
import {
  PRIVATE_CA,
  startBrokenProxy,
  startProxy,
  startTlsFront,
  type BrokenProxy,
  type Listening,
  type Proxy,
} from '../support/network.js'
import {
  cancelLikeTheRunner,
  errorAnnotation,
  RUNNER_CANCEL,
  runAction,
} from '../../fake-runner/run-action.js'
import { addFreshRepo, SHA } from '../support/waiting.js'

// What self-hosted runners put in the way: private certificate authorities and HTTP proxies.
// The tests mostly wait on the bundle, so they run concurrently: each deploys to its own repository, and a
// test that looks at what a proxy saw has a proxy of its own.

let vela: FakeVela
let tls: Listening
let wrongHost: Listening
const proxies: Array<Proxy | BrokenProxy> = []

beforeAll(async () => {
  vela = await startFakeVela()
  vela.addUser('octocat')
  tls = await startTlsFront(vela.url, 'localhost')
  wrongHost = await startTlsFront(vela.url, 'wronghost')
})

afterAll(async () => {
  await Promise.all([tls.close(), wrongHost.close(), ...proxies.map((proxy) => proxy.close())])
  await vela.close()
})

const freshRepo = () => addFreshRepo(vela)

async function ownProxy(options: { credentials?: string } = {}): Promise<Proxy> {
  const proxy = await startProxy({}, options)
  proxies.push(proxy)
  return proxy
}

async function brokenProxy(answer: 'close' | 'nothing'): Promise<BrokenProxy> {
  const proxy = await startBrokenProxy(answer)
  proxies.push(proxy)
  return proxy
}

function deployTo(
  server: string,
  env: Record<string, string>,
  repo = freshRepo(),
  inputs: Record<string, string> = {},
  onSpawn?: (child: ChildProcess) => void,
) {
  return runAction(
    { server, token: vela.mintToken('octocat'), repo, wait: 'false', ...inputs },
    { env, onSpawn },
  )
}

describe('HTTPS with a private certificate authority', () => {
  it.concurrent('works when NODE_EXTRA_CA_CERTS names the CA', async () => {
    const run = await deployTo(tls.url, { NODE_EXTRA_CA_CERTS: PRIVATE_CA })
    expect(run.code).toBe(0)
    expect(run.outputs.commit).toBe(SHA)
  })

  it.concurrent('explains an untrusted certificate and how to trust it', async () => {
    const run = await deployTo(tls.url, {})
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(
      /TLS connection to 127\.0\.0\.1:\d+ failed: its certificate is not signed by a trusted authority/,
    )
    expect(message).toContain('NODE_EXTRA_CA_CERTS')
  })

  it.concurrent('explains a certificate for another host name', async () => {
    const run = await deployTo(wrongHost.url, { NODE_EXTRA_CA_CERTS: PRIVATE_CA })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toContain('its certificate is not valid for this host name')
  })
})

describe('proxies', () => {
  it.concurrent('tunnels HTTPS through HTTPS_PROXY with CONNECT', async () => {
    const proxy = await ownProxy()
    const run = await deployTo(tls.url, { NODE_EXTRA_CA_CERTS: PRIVATE_CA, HTTPS_PROXY: proxy.url })
    expect(run.code).toBe(0)
    expect(proxy.seen).toEqual([`CONNECT ${new URL(tls.url).host}`])
  })

  it.concurrent('sends plain HTTP through http_proxy (lower case) as absolute-form requests', async () => {
    const proxy = await ownProxy()
    const repo = freshRepo()
    const run = await deployTo(vela.url, { http_proxy: proxy.url }, repo)
    expect(run.code).toBe(0)
    expect(proxy.seen).toEqual([`POST ${vela.url}/api/v1/deployments/octo-org/${repo}`])
  })

  it.concurrent('goes straight to hosts in NO_PROXY', async () => {
    const proxy = await ownProxy()
    const run = await deployTo(vela.url, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })
    expect(run.code).toBe(0)
    expect(proxy.seen).toEqual([])
  })

  it.concurrent('fails clearly when the proxy cannot be reached, without creating anything', async () => {
    const repo = freshRepo()
    const run = await deployTo(vela.url, { HTTP_PROXY: 'http://127.0.0.1:9' }, repo)
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toMatch(
      /^Could not talk to Vela at .*cannot reach the proxy 127\.0\.0\.1:9 \(HTTP_PROXY\): connection refused/,
    )
    expect(vela.deploymentsOf('octo-org', repo)).toHaveLength(0)
  })
})

describe('a proxy that drops the CONNECT of an https Vela', () => {
  it.concurrent.each(['close', 'nothing'] as const)(
    'tries a few tunnels with backoff, then gives up, and says nothing was sent (it answers %s)',
    async (answer) => {
      const proxy = await brokenProxy(answer)
      const repo = freshRepo()
      const env = { NODE_EXTRA_CA_CERTS: PRIVATE_CA, HTTPS_PROXY: proxy.url }
      const run = await deployTo(tls.url, env, repo, { 'request-timeout': '1s' })
      expect(run.code).toBe(1)
      const message = errorAnnotation(run) ?? ''
      expect(message).toMatch(
        /^Could not talk to Vela at https:\/\/127\.0\.0\.1:\d+: the proxy 127\.0\.0\.1:\d+ \(HTTPS_PROXY\) (closed the connection instead of opening a tunnel|opened no tunnel) to 127\.0\.0\.1:\d+.*; nothing was sent$/,
      )
      expect(message).not.toMatch(/may or may not/)
      // Three creates in all, as for any connection that never reached Vela; not thousands of CONNECTs.
      expect(proxy.seen).toEqual(Array(3).fill(`CONNECT ${new URL(tls.url).host} HTTP/1.1`))
      expect(vela.deploymentsOf('octo-org', repo)).toHaveLength(0)
    },
  )

  it.concurrent(
    'a cancel while the proxy holds the CONNECT says nothing was created, before SIGKILL',
    async () => {
      const proxy = await brokenProxy('nothing')
      const repo = freshRepo()
      let cancelledAt = 0
      const env = { NODE_EXTRA_CA_CERTS: PRIVATE_CA, HTTPS_PROXY: proxy.url }
      const run = await deployTo(tls.url, env, repo, { 'request-timeout': '60s' }, (child) => {
        const waiting = setInterval(() => {
          if (proxy.seen.length === 0) return
          clearInterval(waiting)
          cancelledAt = cancelLikeTheRunner(child)
        }, 20)
      })
      // The line the create gives, or the run's last words: both know nothing left.
      expect(errorAnnotation(run)).toMatch(
        new RegExp(
          `^Cancelled before (Vela took the create request|the create request was sent): no deployment of octo-org/${repo} was created$`,
        ),
      )
      expect(run.exitedAt - cancelledAt).toBeLessThan(
        RUNNER_CANCEL.sigtermAfterMs + RUNNER_CANCEL.sigkillAfterMs,
      )
    },
  )
})

describe('a proxy that fails is named, with the variable that set it', () => {
  it.concurrent("a proxy whose name does not resolve, not Vela's address", async () => {
    const env = { NODE_EXTRA_CA_CERTS: PRIVATE_CA, HTTPS_PROXY: 'http://proxy.invalid:3128' }
    const run = await deployTo(tls.url, env)
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toMatch(
      /^Could not talk to Vela at https:\/\/127\.0\.0\.1:\d+: cannot reach the proxy proxy\.invalid:3128 \(HTTPS_PROXY\): the host name does not resolve/,
    )
  })

  it.concurrent('a proxy that closes a plain-HTTP create, which it may have passed on', async () => {
    const proxy = await brokenProxy('close')
    const run = await deployTo(vela.url, { HTTP_PROXY: proxy.url })
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toContain(
      `the proxy ${new URL(proxy.url).host} (HTTP_PROXY) closed the connection before an answer arrived`,
    )
    expect(message).toMatch(/may or may not/)
  })
})

describe('proxy variables as users write them', () => {
  // The forms taken and refused are listed in client.test.ts; here, how a refusal looks in the runner's log.
  it.concurrent(
    'refuses one that is not a proxy address in one line naming the variable, before anything is sent',
    async () => {
      const repo = freshRepo()
      const run = await deployTo(vela.url, { http_proxy: 'proxy .internal:3128' }, repo)
      expect(run.code).toBe(1)
      expect(errorAnnotation(run)).toBe(
        'The proxy variable http_proxy is not a proxy address; expected http://host:port (user:password@ before the host if the proxy asks for it)',
      )
      expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1)
      expect(vela.requests.filter((r) => r.path.includes(`/octo-org/${repo}`))).toEqual([])
    },
  )
})

describe('failures before the create reached Vela say what they are, without a retry', () => {
  it.concurrent('a plain-HTTP proxy asking for authentication (407)', async () => {
    const lockedProxy = await ownProxy({ credentials: 'deployer:s3cret' })
    const repo = freshRepo()
    const run = await deployTo(vela.url, { HTTP_PROXY: lockedProxy.url }, repo)
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(/proxy .*requires authentication \(407/i)
    expect(message).toContain('http://user:password@')
    expect(message).not.toMatch(/may or may not/)
    // One request, no retry and no lookup: the proxy never passed it on.
    expect(lockedProxy.seen).toEqual([`POST ${vela.url}/api/v1/deployments/octo-org/${repo}`])
    expect(vela.deploymentsOf('octo-org', repo)).toHaveLength(0)
  })

  it.concurrent('an HTTPS tunnel the proxy refuses without authentication (407)', async () => {
    const lockedProxy = await ownProxy({ credentials: 'deployer:s3cret' })
    const run = await deployTo(tls.url, { NODE_EXTRA_CA_CERTS: PRIVATE_CA, HTTPS_PROXY: lockedProxy.url })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toMatch(/proxy .*requires authentication \(407/i)
    expect(lockedProxy.seen).toEqual([`CONNECT ${new URL(tls.url).host}`])
  })

  it.concurrent('goes through once the proxy variable carries the credentials', async () => {
    const { port } = new URL((await ownProxy({ credentials: 'deployer:s3cret' })).url)
    const run = await deployTo(vela.url, { HTTP_PROXY: `http://deployer:s3cret@127.0.0.1:${port}` })
    expect(run.code).toBe(0)
  })

  it.concurrent('a server name that does not resolve', async () => {
    const run = await deployTo('http://vela.invalid', {})
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(/^Could not talk to Vela at http:\/\/vela\.invalid: .*does not resolve/)
    expect(message).not.toMatch(/may or may not/)
  })

  it.concurrent('a token exchange through a proxy that refuses to connect', async () => {
    const run = await runAction(
      { server: vela.url, token: 'ghp_' + 'a'.repeat(36) },
      { env: { HTTP_PROXY: 'http://127.0.0.1:9' } },
    )
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(/so nothing was sent to octo-org\/web-app: .*connection refused/)
    expect(message).not.toMatch(/may or may not/)
  })
})
