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

beforeAll(async () => {
  vela = await startFakeVela()
  vela.addUser('octocat')
  vela.addRepo('octo-org', 'web-app', { refs: { 'refs/tags/v1.2.3': SHA } })
  tls = await startTlsFront(vela.url, 'localhost')
  wrongHost = await startTlsFront(vela.url, 'wronghost')
  proxy = await startProxy()
})

afterAll(async () => {
  await Promise.all([tls.close(), wrongHost.close(), proxy.close()])
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
