import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type FakeVela } from '../../fake-vela/index.js'
import { PRIVATE_CA, startProxy, startTlsFront, type Listening, type Proxy } from '../support/network.js'
import { errorAnnotation, runAction } from '../../fake-runner/run-action.js'

// What self-hosted runners put in the way: private certificate authorities and HTTP proxies.

const SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'
let vela: FakeVela
let tls: Listening
let wrongHost: Listening
let proxy: Proxy
let lockedProxy: Proxy

beforeAll(async () => {
  vela = await startFakeVela()
  vela.addUser('octocat')
  vela.addRepo('octo-org', 'web-app', { refs: { 'refs/tags/v1.2.3': SHA } })
  tls = await startTlsFront(vela.url, 'localhost')
  wrongHost = await startTlsFront(vela.url, 'wronghost')
  proxy = await startProxy()
  lockedProxy = await startProxy({}, { credentials: 'deployer:s3cret' })
})

afterAll(async () => {
  await Promise.all([tls.close(), wrongHost.close(), proxy.close(), lockedProxy.close()])
  await vela.close()
})

function deployTo(server: string, env: Record<string, string>) {
  return runAction({ server, token: vela.mintToken('octocat'), wait: 'false' }, { env })
}

describe('HTTPS with a private certificate authority', () => {
  it('works when NODE_EXTRA_CA_CERTS names the CA', async () => {
    const run = await deployTo(tls.url, { NODE_EXTRA_CA_CERTS: PRIVATE_CA })
    expect(run.code).toBe(0)
    expect(run.outputs.commit).toBe(SHA)
  })

  it('explains an untrusted certificate and how to trust it', async () => {
    const run = await deployTo(tls.url, {})
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(
      /TLS connection to 127\.0\.0\.1:\d+ failed: its certificate is not signed by a trusted authority/,
    )
    expect(message).toContain('NODE_EXTRA_CA_CERTS')
  })

  it('explains a certificate for another host name', async () => {
    const run = await deployTo(wrongHost.url, { NODE_EXTRA_CA_CERTS: PRIVATE_CA })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toContain('its certificate is not valid for this host name')
  })
})

describe('proxies', () => {
  it('tunnels HTTPS through HTTPS_PROXY with CONNECT', async () => {
    const before = proxy.seen.length
    const run = await deployTo(tls.url, { NODE_EXTRA_CA_CERTS: PRIVATE_CA, HTTPS_PROXY: proxy.url })
    expect(run.code).toBe(0)
    expect(proxy.seen.slice(before)).toEqual([`CONNECT ${new URL(tls.url).host}`])
  })

  it('sends plain HTTP through http_proxy (lower case) as absolute-form requests', async () => {
    const before = proxy.seen.length
    const run = await deployTo(vela.url, { http_proxy: proxy.url })
    expect(run.code).toBe(0)
    expect(proxy.seen.slice(before)).toEqual([`POST ${vela.url}/api/v1/deployments/octo-org/web-app`])
  })

  it('goes straight to hosts in NO_PROXY', async () => {
    const before = proxy.seen.length
    const run = await deployTo(vela.url, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })
    expect(run.code).toBe(0)
    expect(proxy.seen.slice(before)).toEqual([])
  })

  it('fails clearly when the proxy cannot be reached, without creating anything', async () => {
    const deployments = vela.deploymentsOf('octo-org', 'web-app').length
    const run = await deployTo(vela.url, { HTTP_PROXY: 'http://127.0.0.1:9' })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toMatch(
      /^Could not talk to Vela at .*cannot reach the proxy for 127\.0\.0\.1:\d+ \(port 9\): connection refused/,
    )
    expect(vela.deploymentsOf('octo-org', 'web-app')).toHaveLength(deployments)
  })
})

describe('proxy variables as users write them', () => {
  // The forms taken and refused are listed in client.test.ts; here, how a refusal looks in the runner's log.
  it('refuses one that is not a proxy address in one line naming the variable, before anything is sent', async () => {
    const requests = vela.requests.length
    const run = await deployTo(vela.url, { http_proxy: 'proxy .internal:3128' })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toBe(
      'The proxy variable http_proxy is not a proxy address; expected http://host:port (user:password@ before the host if the proxy asks for it)',
    )
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toHaveLength(1)
    expect(vela.requests.length).toBe(requests)
  })
})

// The tests that send nothing to the fake or to the shared proxies run concurrently: each waits out the
// retries of a request that provably never left.
describe('failures before the create reached Vela say what they are, at once', () => {
  it('a plain-HTTP proxy asking for authentication (407)', async () => {
    const deployments = vela.deploymentsOf('octo-org', 'web-app').length
    const before = lockedProxy.seen.length
    const run = await deployTo(vela.url, { HTTP_PROXY: lockedProxy.url })
    expect(run.code).toBe(1)
    const message = errorAnnotation(run) ?? ''
    expect(message).toMatch(/proxy .*requires authentication \(407/i)
    expect(message).toContain('http://user:password@')
    expect(message).not.toMatch(/may or may not/)
    // One request, no retry and no lookup: the proxy never passed it on.
    expect(lockedProxy.seen.slice(before)).toEqual([`POST ${vela.url}/api/v1/deployments/octo-org/web-app`])
    expect(vela.deploymentsOf('octo-org', 'web-app')).toHaveLength(deployments)
    expect(run.elapsedMs).toBeLessThan(5_000)
  })

  it('an HTTPS tunnel the proxy refuses without authentication (407)', async () => {
    const before = lockedProxy.seen.length
    const run = await deployTo(tls.url, { NODE_EXTRA_CA_CERTS: PRIVATE_CA, HTTPS_PROXY: lockedProxy.url })
    expect(run.code).toBe(1)
    expect(errorAnnotation(run)).toMatch(/proxy .*requires authentication \(407/i)
    expect(lockedProxy.seen.slice(before)).toEqual([`CONNECT ${new URL(tls.url).host}`])
    expect(run.elapsedMs).toBeLessThan(5_000)
  })

  it('goes through once the proxy variable carries the credentials', async () => {
    const { port } = new URL(lockedProxy.url)
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
