// An HTTP server on 127.0.0.1 for the stand-ins the tests and tools run (the fake Vela, the GitHub and worker
// stand-ins, the recording proxy): it listens on a port of its own and, when it stops, ends every
// connection at once, stalled ones included.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export class LoopbackServer {
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private address = ''
  private closed: Promise<void> | undefined

  constructor(
    private readonly name: string,
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ) {
    this.server = createServer(handler)
    this.server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  /** 'http://127.0.0.1:<port>', once listening. */
  get url(): string {
    if (!this.address) throw new Error(`${this.name} is not listening yet`)
    return this.address
  }

  /** Listens on `port` (default: any free one). */
  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    this.address = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** Stops listening and destroys every connection; calling it again waits for the same end. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve()
      })
      this.server.closeAllConnections()
      for (const socket of this.sockets) socket.destroy()
    })
    return this.closed
  }
}
