import { describe, expect, it } from '@jest/globals'
import { HttpClient } from '@actions/http-client'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeVela } from '../fake-vela/index.js'
import { startProxy } from './support/network.js'
import { ACTION_NODE, ROOT } from '../fake-runner/run-action.js'
import type { Dispatcher } from 'undici'

// The committed bundle as users get it: what it holds, and the Node that runs it in these tests.

const bundle = readFileSync(join(ROOT, 'dist', 'index.js'), 'utf8')
/** Every chunk: the entry and the ones it loads lazily. */
const chunks = readdirSync(join(ROOT, 'dist'))
  .filter((file) => file.endsWith('.js'))
  .map((file) => readFileSync(join(ROOT, 'dist', file), 'utf8'))
  .join('\n')

describe('dist/', () => {
  it('is an ES module bundle, marked as one', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'dist', 'package.json'), 'utf8'))).toEqual({ type: 'module' })
  })

  it("holds one undici, shared with @actions/http-client (package.json's overrides)", () => {
    expect(chunks.match(/class ProxyAgent extends DispatcherBase/g)).toHaveLength(1)
    expect(chunks.match(/class EnvHttpProxyAgent extends DispatcherBase/g)).toHaveLength(1)
  })

  it("starts without undici's index or @actions/core: only the undici files the client uses", () => {
    expect(bundle).toMatch(/class ProxyAgent extends DispatcherBase/)
    expect(bundle).not.toMatch(/class EnvHttpProxyAgent extends DispatcherBase|class WebSocket\b/)
    expect(bundle).not.toMatch(/class OidcClient\b/)
  })

  it('does not load Octokit', () => {
    expect(bundle).not.toMatch(/@octokit/)
  })

  it('carries the license notice of every production dependency, at the version installed', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; license?: string; dev?: boolean }>
    }
    // Packages of type declarations only (Octokit's) ship no code, so nothing of them is in the bundle.
    const shipsCode = (path: string) => {
      const manifest = JSON.parse(readFileSync(join(ROOT, path, 'package.json'), 'utf8')) as {
        main?: string
        exports?: unknown
        types?: string
      }
      return Boolean(manifest.main || manifest.exports) || !manifest.types
    }
    const production = Object.entries(lock.packages).filter(
      ([path, entry]) => path !== '' && !entry.dev && shipsCode(path),
    )
    const licenses = readFileSync(join(ROOT, 'dist', 'licenses.txt'), 'utf8')
    const sections = licenses.split('\n---\n')
    expect(production.map(([path]) => path)).toEqual(
      expect.arrayContaining(['node_modules/undici', 'node_modules/zod']),
    )
    expect(sections).toHaveLength(production.length)
    for (const [path, entry] of production) {
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
      const section = sections.find((text) =>
        text.includes(`\n${name} ${entry.version}\nLicense: ${entry.license}\n`),
      )
      // The license text itself follows, not just its name.
      expect(section?.length).toBeGreaterThan(200)
    }
  })
})

describe('the Node that runs the bundle in the end-to-end tests', () => {
  it('is the one E2E_NODE names, or else the Node running the tests', () => {
    const versionOf = (node: string) =>
      execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim()
    const version = versionOf(ACTION_NODE)
    expect(version).toMatch(/^v\d+\./)
    expect(version).toBe(process.env.E2E_NODE ? versionOf(process.env.E2E_NODE) : process.version)
  })
})

describe("@actions/http-client's proxy path, on the project's one undici", () => {
  it('tunnels through HTTPS_PROXY/HTTP_PROXY with the ProxyAgent it builds', async () => {
    const vela = await startFakeVela()
    // http-client never proxies loopback addresses, so the request names a host only the proxy knows.
    const proxy = await startProxy({ 'vela.test': '127.0.0.1' })
    const saved = process.env.HTTP_PROXY
    try {
      process.env.HTTP_PROXY = proxy.url
      const target = `${vela.url.replace('127.0.0.1', 'vela.test')}/version`
      // http-client types its dispatcher with its own copy of undici's declarations.
      const dispatcher = new HttpClient('test').getAgentDispatcher(target) as unknown as Dispatcher
      expect(dispatcher.constructor.name).toBe('ProxyAgent')
      const url = new URL(target)
      const response = await dispatcher.request({
        origin: url.origin,
        path: url.pathname,
        method: 'GET',
      })
      expect(response.statusCode).toBe(200)
      expect(await response.body.json()).toMatchObject({ canonical: expect.any(String) })
      expect(proxy.seen).toEqual([`CONNECT ${url.host}`])
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY
      else process.env.HTTP_PROXY = saved
      await proxy.close()
      await vela.close()
    }
  })
})
