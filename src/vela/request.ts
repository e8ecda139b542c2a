import { ACTION_VERSION } from '../shared/version.js'

export type Query = Record<string, string | number | undefined>

export interface VelaRequest {
  method: 'GET' | 'POST' | 'DELETE'
  /** Path segments below the server address; each is percent-encoded as one segment. */
  path: readonly string[]
  query?: Query
  /** Sent as JSON with `Content-Type: application/json`, which Vela's binding requires. */
  json?: unknown
  /** Extra headers (the token exchange sends `Token`). */
  headers?: Record<string, string>
  /** `Authorization` header value; omitted for unauthenticated calls. */
  authorization?: string
  /** Total deadline for this request, from connect to the last body byte. */
  timeoutMs: number
  /** Aborts the request when the workflow is cancelled. */
  signal?: AbortSignal
  /** Past the response cap, keep the body's last bytes instead of refusing it: a log's end says most. */
  keepTail?: boolean
  /**
   * Told when the request is handed to a connection (to Vela, or to the proxy that passes it on): from then
   * on it may reach Vela. A request that fails before provably never left.
   */
  onWritten?: () => void
}

/** A request exactly as it goes on the wire: what `VelaHttp.send` sends, and what a dry run shows. */
export interface PreparedRequest {
  method: VelaRequest['method']
  url: URL
  headers: Record<string, string>
  body: string | undefined
}

/** Builds `{server}/{segments}` and checks that the result still lies under the server address. */
export function buildUrl(server: string, path: readonly string[], query: Query = {}): URL {
  const base = new URL(`${server.replace(/\/+$/, '')}/`)
  // URL parsing resolves '.' and '..' (even percent-encoded), so they can never be one path segment.
  const unsafe = path.find((segment) => segment === '' || /^(\.|%2e){1,2}$/i.test(segment))
  if (unsafe !== undefined)
    throw new Error(`refusing to send a request with the path segment ${JSON.stringify(unsafe)}`)
  const url = new URL(path.map((segment) => encodeURIComponent(segment)).join('/'), base)
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new Error(`refusing to send a request outside ${base.href}: ${url.href}`)
  }
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value))
  }
  return url
}

export function prepareRequest(
  server: string,
  req: Omit<VelaRequest, 'timeoutMs' | 'signal' | 'onWritten'>,
): PreparedRequest {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': `vela-deploy-action/${ACTION_VERSION}`,
    ...req.headers,
  }
  if (req.authorization) headers.authorization = req.authorization
  let body: string | undefined
  if (req.json !== undefined) {
    body = JSON.stringify(req.json)
    headers['content-type'] = 'application/json'
  }
  return { method: req.method, url: buildUrl(server, req.path, req.query), headers, body }
}
