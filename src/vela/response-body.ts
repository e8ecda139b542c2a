import type { Dispatcher } from 'undici'
import { safeInline } from '../shared/safe-text.js'
import { BadResponseError } from './errors.js'

/** Responses larger than this are refused (or cut to their end) while streaming, so memory stays bounded. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

/** A body as read: its text, and whether its beginning was dropped to keep its last MAX_RESPONSE_BYTES. */
export interface BodyText {
  text: string
  cutAtStart: boolean
}

/**
 * Reads the whole body as text, refusing it past MAX_RESPONSE_BYTES (declared or streamed); with `keepTail`,
 * keeps its last MAX_RESPONSE_BYTES instead.
 */
export async function readCapped(
  response: Dispatcher.ResponseData,
  describe: string,
  keepTail = false,
): Promise<BodyText> {
  if (keepTail) return readTail(response)
  const declared = Number(headerValue(response.headers, 'content-length'))
  const tooLarge = () =>
    new BadResponseError(
      'too-large',
      `${describe} answered with more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; refusing to read it`,
      response.statusCode,
    )
  if (declared > MAX_RESPONSE_BYTES) {
    response.body.destroy()
    throw tooLarge()
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_RESPONSE_BYTES) {
      response.body.destroy()
      throw tooLarge()
    }
    chunks.push(chunk)
  }
  return { text: Buffer.concat(chunks).toString('utf8'), cutAtStart: false }
}

/** Reads the body to its end, holding no more than its last MAX_RESPONSE_BYTES (and one chunk). */
async function readTail(response: Dispatcher.ResponseData): Promise<BodyText> {
  const chunks: Buffer[] = []
  let size = 0
  let dropped = false
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    chunks.push(chunk)
    size += chunk.length
    while (chunks.length > 1 && size - (chunks[0] as Buffer).length >= MAX_RESPONSE_BYTES) {
      size -= (chunks.shift() as Buffer).length
      dropped = true
    }
  }
  const body = Buffer.concat(chunks)
  const tail = body.subarray(Math.max(0, body.length - MAX_RESPONSE_BYTES))
  return { text: tail.toString('utf8'), cutAtStart: dropped || tail.length < body.length }
}

export function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Parses a JSON body whatever its Content-Type says (Vela sends some errors as text/plain). Some Vela
 * handlers write an error and then a second JSON document into the same body; the first one counts.
 */
export function parseBody(body: string): unknown {
  // A byte order mark is not JSON, but some proxies and servers put one before it.
  const text = body.startsWith('\uFEFF') ? body.slice(1) : body
  try {
    return JSON.parse(text)
  } catch {
    const end = endOfLeadingObject(text)
    if (end === undefined) return undefined
    try {
      return JSON.parse(text.slice(0, end))
    } catch {
      return undefined
    }
  }
}

function endOfLeadingObject(text: string): number | undefined {
  const start = text.search(/\S/)
  if (start < 0 || text[start] !== '{') return undefined
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
    } else if (ch === '"') inString = true
    else if (ch === '{' || ch === '[') depth++
    else if (ch === '}' || ch === ']') {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return undefined
}

/** The `{"error": …}` text of Vela's own JSON error. */
export function serverMessage(parsed: unknown): string | undefined {
  if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
    const message = parsed.error
    if (typeof message === 'string' && message !== '') return safeInline(message, 'message')
  }
  return undefined
}

/** Whether a body is a web page: Vela's API answers only JSON (or plain text that holds JSON). */
export function isWebPage(contentType: string | undefined, text: string): boolean {
  return /html/i.test(contentType ?? '') || /^\s*</.test(text)
}

/** A short description of a body that is not Vela's JSON (an HTML page from a proxy, say). */
export function summarizeBody(status: number, contentType: string | undefined, text: string): string {
  const readable = isWebPage(contentType, text)
    ? text
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&[a-z]+;/gi, ' ')
    : text
  const snippet = safeInline(readable.replace(/\s+/g, ' '), 'short')
  return `HTTP ${status}, ${contentType ? safeInline(contentType, 'short') : 'no content type'}, ${snippet === '' ? 'empty body' : `body starts "${snippet}"`}`
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
