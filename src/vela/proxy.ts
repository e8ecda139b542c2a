import type { Dispatcher } from 'undici'
import { Agent, Pool, ProxyAgent } from './undici-parts.js'
import { ProxySettingError } from './errors.js'

/** A proxy that requests go through, and the variable that named it. */
export interface ProxyInUse {
  /** The variable as the environment spells it: https_proxy, HTTPS_PROXY, http_proxy or HTTP_PROXY. */
  variable: string
  /** The proxy's host:port, without credentials. */
  host: string
}

interface ProxyVariable extends ProxyInUse {
  /** The whole address, credentials included: only for the proxy agent, never for a message. */
  address: string
}

/** How a request to one address travels: straight to it, or through a proxy. */
export interface Route {
  dispatcher: Dispatcher
  proxy: ProxyInUse | undefined
}

/** The schemes undici's proxy agent speaks. */
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:', 'socks:'])

/**
 * A proxy variable as the proxy agent needs it. Like curl, an address without a scheme
 * (`proxy.internal:3128`, as many runners set it) is taken as http://; the agent would read
 * `proxy.internal:` as the scheme, or fail on every request.
 */
function readProxyVariable(
  env: NodeJS.ProcessEnv,
  names: readonly [string, string],
): ProxyVariable | undefined {
  // The lower-case name wins, as in curl and undici.
  const variable = names.find((n) => env[n] !== undefined)
  const value = variable === undefined ? undefined : env[variable]?.trim()
  if (variable === undefined || !value) return undefined
  const address = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  let url: URL | undefined
  try {
    url = new URL(address)
  } catch {
    url = undefined
  }
  // Never echoes the value: it may hold the proxy's password.
  if (!url?.hostname || !PROXY_SCHEMES.has(url.protocol)) {
    throw new ProxySettingError(
      variable,
      'is not a proxy address; expected http://host:port (user:password@ before the host if the proxy asks for it)',
    )
  }
  // The proxy agent decodes them for Proxy-Authorization, and a stray % would fail every request.
  if (!decodes(url.username) || !decodes(url.password)) {
    throw new ProxySettingError(
      variable,
      'has a % in its user name or password that starts no escape such as %40; write a % itself as %25',
    )
  }
  return { variable, host: url.host, address }
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text)
    return true
  } catch {
    return false
  }
}

/** A tunnel the proxy did not open: it closed the connection, or failed, on the CONNECT. */
export class TunnelNotOpenedError extends Error {
  readonly code = 'TUNNEL_NOT_OPENED'
  constructor(cause: unknown) {
    super('the proxy opened no tunnel', { cause })
    this.name = 'TunnelNotOpenedError'
  }
}

/**
 * The pool that sends the CONNECTs to a proxy. undici 7 takes a connection the proxy closes on the CONNECT
 * (UND_ERR_SOCKET) for one to open again at once, so a proxy that drops the CONNECT got thousands a second
 * and the request never ended (nodejs/undici#3897). Given another code, the failure ends the request.
 */
function tunnellingPool(origin: URL, options: object): Dispatcher {
  const pool = new Pool(origin, options)
  const connect: (options: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData> =
    pool.connect.bind(pool)
  pool.connect = (params: Dispatcher.ConnectOptions) =>
    connect(params).catch((error: unknown) => {
      throw new TunnelNotOpenedError(error)
    })
  return pool
}

interface NoProxyEntry {
  hostname: string
  /** 0 for any port. */
  port: number
}

/** NO_PROXY as undici's EnvHttpProxyAgent reads it: host names, `.suffix` or `*.suffix`, an optional :port. */
function readNoProxy(env: NodeJS.ProcessEnv): NoProxyEntry[] | '*' {
  const value = env.no_proxy ?? env.NO_PROXY ?? ''
  if (value === '*') return '*'
  return value
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .map((entry) => {
      const parsed = /^(.+):(\d+)$/.exec(entry)
      return {
        hostname: (parsed?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase(),
        port: parsed ? Number(parsed[2]) : 0,
      }
    })
}

function bypassesProxy(noProxy: NoProxyEntry[] | '*', url: URL): boolean {
  if (noProxy === '*') return true
  // `host` keeps the brackets of an IPv6 address, as NO_PROXY writes it.
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase()
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
  return noProxy.some(
    (entry) =>
      (entry.port === 0 || entry.port === port) &&
      (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)),
  )
}

/**
 * The connection pools of a run, one per way out (direct, or each proxy), made on first use. Honours
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case; an https:// address without HTTPS_PROXY goes through
 * HTTP_PROXY, as in curl. HTTPS goes through a CONNECT tunnel; plain HTTP is sent to the proxy as an
 * absolute-form request, as curl does, since some proxies refuse CONNECT to port 80.
 */
export class Connections {
  private readonly pools = new Map<string, Dispatcher>()

  private constructor(
    private readonly httpProxy: ProxyVariable | undefined,
    private readonly httpsProxy: ProxyVariable | undefined,
    private readonly noProxy: NoProxyEntry[] | '*',
  ) {}

  /**
   * Reads the proxy variables before anything is sent: a broken one is a ProxySettingError naming it,
   * not a request that may or may not have gone out.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): Connections {
    const httpProxy = readProxyVariable(env, ['http_proxy', 'HTTP_PROXY'])
    const httpsProxy = readProxyVariable(env, ['https_proxy', 'HTTPS_PROXY']) ?? httpProxy
    return new Connections(httpProxy, httpsProxy, readNoProxy(env))
  }

  route(url: URL): Route {
    const proxy = url.protocol === 'https:' ? this.httpsProxy : this.httpProxy
    if (proxy === undefined || bypassesProxy(this.noProxy, url)) {
      return { dispatcher: this.pool('direct', () => new Agent()), proxy: undefined }
    }
    const dispatcher = this.pool(
      proxy.address,
      () => new ProxyAgent({ uri: proxy.address, proxyTunnel: false, clientFactory: tunnellingPool }),
    )
    return { dispatcher, proxy: { variable: proxy.variable, host: proxy.host } }
  }

  /** Closes every connection so the process can exit at once; a later request opens new ones. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()]
    this.pools.clear()
    await Promise.all(pools.map((pool) => pool.destroy()))
  }

  private pool(key: string, make: () => Dispatcher): Dispatcher {
    let pool = this.pools.get(key)
    if (pool === undefined) {
      pool = make()
      this.pools.set(key, pool)
    }
    return pool
  }
}
