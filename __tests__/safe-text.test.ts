import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { printUntrusted } from '../src/runner/log.js'
import {
  defuseLine,
  escapeHtml,
  htmlLink,
  isHttpUrl,
  safeInline,
  type TextLength,
} from '../src/shared/safe-text.js'
import { summarizeBody } from '../src/vela/response-body.js'

const LENGTHS: Array<[TextLength, number]> = [
  ['word', 40],
  ['short', 80],
  ['line', 300],
  ['message', 1000],
  ['failure', 4000],
]

/** What the runner would take as a workflow command in one printed line. */
function isCommand(line: string): boolean {
  return /^\s*::/.test(line) || line.includes('##[')
}

describe('server text cannot issue workflow commands', () => {
  it.each([
    '::add-mask::x',
    '  ::set-output name=a::b',
    '##[set-output name=a;]b',
    'text ##[error]boom',
    '::stop-commands::t',
  ])('defuses %j', (line) => {
    expect(isCommand(defuseLine(line))).toBe(false)
  })

  it('defuses any line, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        expect(isCommand(defuseLine(line))).toBe(false)
      }),
    )
  })

  it('keeps inline text on one line, defused and cut to length', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...LENGTHS), (text, [length, max]) => {
        const out = safeInline(text, length)
        expect(out).not.toMatch(/[\r\n]/)
        expect(isCommand(out)).toBe(false)
        expect(out.length).toBeLessThanOrEqual(max + 2)
      }),
    )
  })

  it('fences untrusted blocks with a fresh token the text cannot know', () => {
    const first: string[] = []
    const second: string[] = []
    printUntrusted(['::error::owned', 'plain'], { info: (l) => first.push(l) })
    printUntrusted(['x'], { info: (l) => second.push(l) })
    const token = /^::stop-commands::(.+)$/.exec(first[0] ?? '')?.[1]
    expect(token).toMatch(/^[0-9a-f-]{36}$/)
    expect(first.at(-1)).toBe(`::${token}::`)
    expect(second[0]).not.toBe(first[0])
    expect(first.slice(1, -1).some(isCommand)).toBe(false)
  })
})

describe('summaries of bodies that are not Vela JSON', () => {
  it('describes an HTML error page briefly', () => {
    const html = `<html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>502 Bad Gateway</h1>${'<p>filler</p>'.repeat(500)}</body></html>`
    const summary = summarizeBody(502, 'text/html', html)
    expect(summary).toMatch(/^HTTP 502, text\/html, body starts "502 Bad Gateway 502 Bad Gateway/)
    expect(summary.length).toBeLessThan(220)
  })

  it('says when the body is empty', () => {
    expect(summarizeBody(500, undefined, '')).toBe('HTTP 500, no content type, empty body')
  })
})

describe('job summary escaping', () => {
  it('escapes HTML and Markdown', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)> | **x** [l](u)')).not.toMatch(/[<>|*[\]]/)
  })

  it('keeps each value on one source line, so a blank line cannot end the HTML block', () => {
    expect(escapeHtml('a\n\n# Heading\r\n[live](https://x.test)\rz')).toBe(
      'a&#10;&#10;# Heading&#10;&#91;live&#93;(https://x.test)&#10;z',
    )
  })

  it('takes only http(s) addresses for links', () => {
    expect(isHttpUrl('https://vela.test/o/r/1')).toBe(true)
    expect(isHttpUrl('HTTP://vela.test')).toBe(true)
    for (const address of ['javascript:alert(1)', ' https://x.test', 'https://x.test/a b', '', undefined]) {
      expect(isHttpUrl(address)).toBe(false)
    }
  })

  it('links only http(s) addresses', () => {
    expect(htmlLink('javascript:alert(1)', 'x')).toBe('x')
    expect(htmlLink('https://vela.test/o/r/1"onmouseover="x', '#1')).toBe(
      '<a href="https://vela.test/o/r/1&quot;onmouseover=&quot;x">#1</a>',
    )
  })
})
