// Fault injection: what a flaky proxy, load balancer or overloaded server does to a response.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Fault } from './types.js'

/** A complete response the normal handler produced. */
export interface Reply {
  status: number
  headers: Record<string, string>
  body: Buffer
}

export interface FaultContext {
  req: IncomingMessage
  res: ServerResponse
  /** Runs the normal handler (with its side effects) and returns what it would have sent. */
  handle: () => Reply
  /** Registers a clean-up to run when the fake closes (timers of slow responses). */
  onClose: (cleanup: () => void) => void
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) })
  res.end(reply.body)
}

export function applyFault(fault: Fault, ctx: FaultContext): void {
  const { req, res } = ctx
  switch (fault.kind) {
    case 'stall':
      // Headers never go out; the socket stays open until the client gives up or the fake closes.
      if (fault.afterHandling) ctx.handle()
      return

    case 'trickle': {
      const reply = ctx.handle()
      res.writeHead(reply.status, {
        ...reply.headers,
        'content-length': String(reply.body.length),
      })
      res.flushHeaders()
      let sent = 0
      const timer = setInterval(() => {
        if (res.destroyed) {
          clearInterval(timer)
          return
        }
        if (sent >= reply.body.length) {
          clearInterval(timer)
          res.end()
          return
        }
        res.write(reply.body.subarray(sent, sent + 1))
        sent++
      }, fault.intervalMs)
      timer.unref()
      const stop = () => {
        clearInterval(timer)
      }
      res.on('close', stop)
      ctx.onClose(stop)
      return
    }

    case 'delay': {
      const reply = ctx.handle()
      const timer = setTimeout(() => {
        if (!res.destroyed) sendReply(res, reply)
      }, fault.delayMs)
      ctx.onClose(() => {
        clearTimeout(timer)
      })
      return
    }

    case 'reset-after-handling':
      ctx.handle()
      req.socket.resetAndDestroy()
      return

    case 'status': {
      if (fault.afterHandling) ctx.handle()
      const body = Buffer.from(fault.body ?? '')
      const headers: Record<string, string> = { ...fault.headers }
      if (body.length > 0 || fault.contentType)
        headers['content-type'] = fault.contentType ?? 'text/plain; charset=utf-8'
      sendReply(res, { status: fault.status, headers, body })
      return
    }

    case 'redirect':
      sendReply(res, {
        status: fault.status ?? 302,
        headers: { location: fault.location },
        body: Buffer.alloc(0),
      })
      return

    case 'oversized':
      streamOversized(res, fault.bytes)
      return

    case 'truncated-json': {
      const reply = ctx.handle()
      // No Content-Length: chunked encoding ends cleanly, so the client sees a complete response with half a body.
      res.writeHead(reply.status, reply.headers)
      res.end(reply.body.subarray(0, Math.floor(reply.body.length / 2)))
      return
    }
  }
}

/** A syntactically valid JSON object of exactly `bytes` bytes, chunked, written with back-pressure. */
function streamOversized(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
  const [prefix, suffix] = ['{"data":"', '"}']
  const filler = Buffer.alloc(64 * 1024, 'a')
  let remaining = bytes - prefix.length - suffix.length
  res.write(prefix)
  const pump = () => {
    while (remaining > 0) {
      if (res.destroyed) return
      const piece = filler.subarray(0, Math.min(remaining, filler.length))
      remaining -= piece.length
      if (!res.write(piece)) {
        res.once('drain', pump)
        return
      }
    }
    if (!res.destroyed) res.end(suffix)
  }
  pump()
}
