import * as core from '@actions/core'
import { randomUUID } from 'node:crypto'

// Text that comes from the server (error messages, echoed fields, build logs, webhook errors) must never
// act as a workflow command. The runner treats a line starting with `::` as a command, and `##[` anywhere
// in a line as a legacy one.

const LEGACY_COMMAND = /##\[/g
const WORD_JOINER = '\u2060'

/** Breaks `##[` and a leading `::` so a line reads the same but cannot be parsed as a command. */
export function defuseLine(line: string): string {
  return line.replace(LEGACY_COMMAND, `#${WORD_JOINER}#[`).replace(/^(\s*):(?=:)/, `$1:${WORD_JOINER}`)
}

/** One line of untrusted text for a message: control characters become spaces, commands are defused, long text is cut. */
export function safeInline(text: string, maxLength: number): string {
  const oneLine = text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim()
  const cut = oneLine.length > maxLength ? `${oneLine.slice(0, maxLength - 1)}…` : oneLine
  return defuseLine(cut)
}

/** An error's message as one safe line (a thrown non-Error is stringified). */
export function errorText(error: unknown, maxLength: number): string {
  return safeInline(error instanceof Error ? error.message : String(error), maxLength)
}

/** A short description of a body that is not Vela's JSON (an HTML page from a proxy, say). */
export function summarizeBody(status: number, contentType: string | undefined, text: string): string {
  const isHtml = /html/i.test(contentType ?? '') || /^\s*</.test(text)
  const readable = isHtml
    ? text
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&[a-z]+;/gi, ' ')
    : text
  const snippet = safeInline(readable.replace(/\s+/g, ' '), 120)
  return `HTTP ${status}, ${contentType ? safeInline(contentType, 60) : 'no content type'}, ${snippet === '' ? 'empty body' : `body starts "${snippet}"`}`
}

/**
 * Prints untrusted lines between `::stop-commands::` and its resume marker, with a fresh random token so the
 * text cannot end the fence itself; each line is defused as well.
 */
export function printUntrusted(lines: readonly string[], write: (line: string) => void = core.info): void {
  const token = randomUUID()
  write(`::stop-commands::${token}`)
  for (const line of lines) write(defuseLine(line.replace(/[\r\u2028\u2029]/g, '')))
  write(`::${token}::`)
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for the job summary (HTML), including characters Markdown would act on. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch)
    .replace(/[`*_[\]|\\]/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** A link for the summary, or escaped text when the address is not http(s). */
export function htmlLink(href: string | undefined, text: string): string {
  if (!href || !/^https?:\/\//i.test(href)) return escapeHtml(text)
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`
}
