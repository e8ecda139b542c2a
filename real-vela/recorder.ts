// A proxy between the action and a Vela server (real or fake) that records every exchange: what the action
// sent and what the server answered. It can also lose an answer on the way, as a proxy or network can,
// after the server has handled the request.
import { request, type IncomingMessage, type ServerResponse } from 'node:http'
import { LoopbackServer } from '../loopback/index.js'

export interface Exchange {
  method: string
  /** Path and query, as the action sent them. */
  path: string
  requestHeaders: Record<string, string>
  requestBody: string
  /** The server's status; undefined when it never answered. */
  status?: number
  headers: Record<string, string>
  body: string
  /** The answer never reached the action (see `loseAnswer`). */
  lost?: boolean
  /** Epoch ms: when the request arrived and when the answer was complete. */
  sentAt: number
  answeredAt: number
}

export interface AnswerMatch {
  method: string
  path: RegExp
}

function headersOf(message: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

async function readAll(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of message) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export class RecordingProxy {
  readonly exchanges: Exchange[] = []
  private readonly server: LoopbackServer
  private readonly losses: Array<AnswerMatch & { remaining: number }> = []
  private readonly watchers = new Set<(exchange: Exchange) => void>()

  constructor(private readonly target: string) {
    this.server = new LoopbackServer('recording proxy', (req, res) => {
      this.forward(req, res).catch(() => res.destroy())
    })
  }

  get url(): string {
    return this.server.url
  }

  listen(): Promise<void> {
    return this.server.listen()
  }

  close(): Promise<void> {
    return this.server.close()
  }

  /** The next matching request reaches the server, and its answer is dropped: the connection is reset. */
  loseAnswer(match: AnswerMatch, times = 1): void {
    this.losses.push({ ...match, remaining: times })
  }

  /** Resolves with the first exchange from now on that `matches`, once its answer reached the action. */
  next(matches: (exchange: Exchange) => boolean): Promise<Exchange> {
    return new Promise((resolve) => {
      const watcher = (exchange: Exchange) => {
        if (!matches(exchange)) return
        this.watchers.delete(watcher)
        resolve(exchange)
      }
      this.watchers.add(watcher)
    })
  }

  /** Exchanges recorded from this index on: `since(mark())` gives one run's. */
  mark(): number {
    return this.exchanges.length
  }

  since(mark: number): Exchange[] {
    return this.exchanges.slice(mark)
  }

  private takeLoss(method: string, path: string): boolean {
    const loss = this.losses.find((l) => l.remaining > 0 && l.method === method && l.path.test(path))
    if (!loss) return false
    loss.remaining--
    return true
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sentAt = Date.now()
    const requestBody = await readAll(req)
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    const exchange: Exchange = {
      method,
      path,
      requestHeaders: headersOf(req),
      requestBody: requestBody.toString('utf8'),
      headers: {},
      body: '',
      sentAt,
      answeredAt: sentAt,
    }
    this.exchanges.push(exchange)
    const lose = this.takeLoss(method, path)
    const target = new URL(this.target)
    const upstream = request({
      host: target.hostname,
      port: target.port,
      method,
      path: target.pathname.replace(/\/$/, '') + path,
      headers: { ...req.headers, host: target.host },
    })
    const answer = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve)
      upstream.once('error', reject)
    })
    upstream.end(requestBody)
    let response: IncomingMessage
    try {
      response = await answer
    } catch {
      res.destroy()
      return
    }
    const body = await readAll(response)
    exchange.status = response.statusCode
    exchange.headers = headersOf(response)
    exchange.body = body.toString('utf8')
    exchange.answeredAt = Date.now()
    if (lose) {
      exchange.lost = true
      res.destroy()
      this.notify(exchange)
      return
    }
    const headers = { ...response.headers }
    delete headers['transfer-encoding']
    res.writeHead(response.statusCode ?? 502, { ...headers, 'content-length': String(body.length) })
    res.end(body, () => {
      this.notify(exchange)
    })
  }

  /** Tells the watchers once the action has the answer (or has lost it). */
  private notify(exchange: Exchange): void {
    for (const watcher of [...this.watchers]) watcher(exchange)
  }
}
