// What a person sees of a run on GitHub, for `npm run demo`, `npm run screenshots` and the tests: the job log as the
// runner's log viewer shows it (workflow commands carried out, not printed), and the job summary as a page.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { renderAsGitHub } from './github-markdown.js'

export type LogEntry =
  | { kind: 'line'; text: string }
  | { kind: 'debug'; text: string }
  | { kind: 'annotation'; level: 'error' | 'warning' | 'notice'; text: string }
  | { kind: 'group'; title: string; lines: LogEntry[] }

/** The runner's escaping of a command's data: `%25`, `%0D`, `%0A`. */
function unescapeData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/**
 * Reads stdout as the runner does: `add-mask` hides a value (and each of its lines) from every later line,
 * `stop-commands` turns commands off until its token comes back, `group`/`endgroup` fold lines under a
 * title, `debug` lines are kept apart, `error`/`warning`/`notice` become annotations.
 */
export function readRunnerLog(stdout: string): LogEntry[] {
  const masks: string[] = []
  const mask = (text: string) => masks.reduce((shown, secret) => shown.split(secret).join('***'), text)
  const top: LogEntry[] = []
  let group: Extract<LogEntry, { kind: 'group' }> | undefined
  let stopToken: string | undefined
  const add = (entry: LogEntry) => (group ? group.lines : top).push(entry)

  for (const line of stdout.replace(/\n$/, '').split('\n')) {
    const command = /^\s*::([a-z-]+)(?: [^:]*)?::(.*)$/i.exec(line)
    if (stopToken !== undefined) {
      if (line.trim() === `::${stopToken}::`) stopToken = undefined
      else add({ kind: 'line', text: mask(line) })
      continue
    }
    if (!command) {
      add({ kind: 'line', text: mask(line) })
      continue
    }
    const [, name = '', rawData = ''] = command
    const data = unescapeData(rawData)
    switch (name) {
      case 'add-mask':
        for (const secret of [data, ...data.split(/\r?\n/)]) if (secret.trim()) masks.push(secret)
        break
      case 'stop-commands':
        stopToken = data
        break
      case 'group':
        group = { kind: 'group', title: mask(data), lines: [] }
        top.push(group)
        break
      case 'endgroup':
        group = undefined
        break
      case 'debug':
        add({ kind: 'debug', text: mask(data) })
        break
      case 'error':
      case 'warning':
      case 'notice':
        add({ kind: 'annotation', level: name, text: mask(data) })
        break
      default:
        // set-output, save-state and the like change state, not the log.
        break
    }
  }
  return top
}

export interface ViewOptions {
  /** Show debug lines, as step debug logging (ACTIONS_STEP_DEBUG) would. */
  debug?: boolean
  /** Show the lines of groups, as if each were clicked open. */
  expand?: boolean
}

const ANNOTATION_LABEL = { error: 'Error', warning: 'Warning', notice: 'Notice' } as const

/** The log as plain text lines, the way the log viewer lays it out. */
export function logText(entries: readonly LogEntry[], options: ViewOptions = {}): string[] {
  const out: string[] = []
  for (const entry of entries) {
    switch (entry.kind) {
      case 'line':
        out.push(entry.text)
        break
      case 'debug':
        if (options.debug) out.push(...entry.text.split('\n').map((line) => `##[debug]${line}`))
        break
      case 'annotation':
        out.push(`${ANNOTATION_LABEL[entry.level]}: ${entry.text}`)
        break
      case 'group': {
        const inner = logText(entry.lines, options)
        if (options.expand) out.push(`▼ ${entry.title}`, ...inner.map((line) => `  ${line}`))
        else out.push(`▶ ${entry.title}  (${inner.length} lines folded)`)
        break
      }
    }
  }
  return out
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** The log as an HTML fragment styled like the runner's log viewer (see `LOG_STYLE`). */
export function logHtml(entries: readonly LogEntry[], options: ViewOptions = {}): string {
  return entries
    .map((entry) => {
      switch (entry.kind) {
        case 'line':
          return `<div class="line">${escape(entry.text) || '&nbsp;'}</div>`
        case 'debug':
          return options.debug ? `<div class="line debug">${escape(entry.text)}</div>` : ''
        case 'annotation':
          return `<div class="line ${entry.level}"><b>${ANNOTATION_LABEL[entry.level]}:</b> ${escape(entry.text)}</div>`
        case 'group':
          return options.expand
            ? `<details open><summary class="line">${escape(entry.title)}</summary>${logHtml(entry.lines, options)}</details>`
            : `<details><summary class="line">${escape(entry.title)}</summary></details>`
      }
    })
    .join('\n')
}

/** The job summary as readable text: headings, paragraphs, table rows as `label: value`, links after their text. */
export function summaryText(summary: string): string {
  const html = renderAsGitHub(summary)
  return html
    .replace(/<a href="([^"]*)">(.*?)<\/a>/g, '$2 ($1)')
    .replace(/<h2>(.*?)<\/h2>/g, '$1\n')
    .replace(/<summary>(.*?)<\/summary>/g, '$1:\n')
    .replace(/<tr><th(?: align="left")?>(.*?)<\/th><td>(.*?)<\/td><\/tr>/g, '  $1: $2\n')
    .replace(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g, '  $1 = $2\n')
    .replace(/<tr><th>.*?<\/tr>/g, '')
    .replace(/<pre>([\s\S]*?)<\/pre>/g, (_, body: string) => `${body.replace(/^/gm, '    | ')}\n`)
    .replace(/<\/p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(
      /&(lt|gt|quot|amp);/g,
      (_, name: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[name] ?? '',
    )
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

const require = createRequire(import.meta.url)
const GITHUB_MARKDOWN_CSS = require.resolve('github-markdown-css/github-markdown-light.css')

/** A page showing the summary as GitHub does: GitHub's Markdown rendering and styles, in a summary box. */
export function summaryPage(summary: string, title = 'Job summary'): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>${readFileSync(GITHUB_MARKDOWN_CSS, 'utf8')}</style>
<style>
  body { background: #f6f8fa; margin: 0; padding: 24px; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
  .box { max-width: 880px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px; }
  .box > h3 { margin: 0 0 8px; font-size: 16px; }
</style></head>
<body><div class="box"><h3>${escape(title)}</h3><div class="markdown-body">${renderAsGitHub(summary)}</div></div></body></html>
`
}

/** Styles for `logHtml`, after the runner's dark log viewer. */
export const LOG_STYLE = `
  body { background: #010409; margin: 0; padding: 16px; }
  .log { font: 12px/20px ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; color: #d1d7e0; background: #0d1117; border: 1px solid #3d444d; border-radius: 6px; padding: 8px 0; max-width: 1000px; }
  .line { padding: 0 16px; white-space: pre-wrap; overflow-wrap: anywhere; }
  .debug { color: #9198a1; }
  .error { color: #ff7b72; background: rgba(248,81,73,0.1); }
  .warning { color: #e3b341; background: rgba(187,128,9,0.15); }
  .notice { color: #79c0ff; }
  details > summary { cursor: pointer; list-style: none; }
  details > summary::before { content: '▸ '; color: #9198a1; }
  details[open] > summary::before { content: '▾ '; }
  details .line:not(summary) { padding-left: 32px; }
`
