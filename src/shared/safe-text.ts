// Text from the server or from inputs must never act as a workflow command, break a message onto a second
// line, or turn into markup in the job summary. The runner treats a line starting with `::` as a command,
// and `##[` anywhere in a line as a legacy one. This module only makes text safe; it prints nothing.

const LEGACY_COMMAND = /##\[/g
const WORD_JOINER = '\u2060'

/** How much untrusted text one message may quote. */
const LENGTH = {
  /** a status, a step name's worth */
  word: 40,
  /** a name, a ref, a value echoed back */
  short: 80,
  /** an address, an error line */
  line: 300,
  /** a whole server message */
  message: 1000,
  /** the one line a step fails with, which quotes a server message and more */
  failure: 4000,
} as const
export type TextLength = keyof typeof LENGTH

/** Breaks `##[` and a leading `::` so a line reads the same but cannot be parsed as a command. */
export function defuseLine(line: string): string {
  return line.replace(LEGACY_COMMAND, `#${WORD_JOINER}#[`).replace(/^(\s*):(?=:)/, `$1:${WORD_JOINER}`)
}

/** Text cut to a length, with `…` where it was cut. */
export function clip(text: string, length: TextLength): string {
  const max = LENGTH[length]
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** One line of untrusted text for a message: control characters become spaces, commands are defused, long text is cut. */
export function safeInline(text: string, length: TextLength = 'line'): string {
  return defuseLine(clip(text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim(), length))
}

/** Untrusted text in double quotes, as `safeInline` makes it. */
export function quote(text: string, length: TextLength = 'short'): string {
  return `"${safeInline(text, length)}"`
}

/** An error's message as one safe line (a thrown non-Error is stringified). */
export function errorText(error: unknown, length: TextLength = 'line'): string {
  return safeInline(error instanceof Error ? error.message : String(error), length)
}

/** A line of a server's log or message, safe to print between stop-commands markers. */
export function safeLogLine(line: string): string {
  return defuseLine(line.replace(/[\r\u2028\u2029]/g, ''))
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for the job summary (HTML), including characters Markdown would act on. Line breaks become
 * character references, so the text stays on one source line: a blank line would end the HTML block and
 * let what follows render as Markdown. Inside <pre> they still show as line breaks.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch)
    .replace(/[`*_[\]|\\]/g, (ch) => `&#${ch.charCodeAt(0)};`)
    .replace(/\r\n?|\n/g, '&#10;')
}

/** Whether an address from the server may become a link: only http(s), never javascript: and the like. */
export function isHttpUrl(text: string | undefined): text is string {
  return text !== undefined && /^https?:\/\/[^\s]+$/i.test(text)
}

/** A link for the summary, or escaped text when the address is not http(s), or longer than any real one. */
export function htmlLink(href: string | undefined, text: string): string {
  if (!isHttpUrl(href) || href.length > LENGTH.failure) return escapeHtml(text)
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`
}
