import { afterEach, describe, expect, it, jest } from '@jest/globals'
import fc from 'fast-check'
import { InputError } from '../src/shared/errors.js'
import { PAYLOAD_MAX_INPUT_BYTES, PAYLOAD_MAX_JSON_BYTES, parsePayload } from '../src/inputs/payload.js'

/** The message parsePayload throws for `text`, failing the test when it does not throw an InputError. */
function errorFor(text: string): string {
  try {
    parsePayload(text)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error(`no error for ${JSON.stringify(text)}`)
}

/** One line, with nothing a runner or terminal would act on. */
function expectOneCleanLine(message: string): void {
  expect(message).not.toMatch(/[\p{Cc}\u2028\u2029]/u)
  expect(message).not.toMatch(/^\s*::|##\[/)
}

describe('empty payloads', () => {
  it.each(['', '   ', '\n\n', '# just a comment\n', '---\n', '--- # comment\n', '{}', '...\n'])(
    '%j → {}',
    (text) => {
      expect(parsePayload(text)).toEqual({ parameters: {}, warnings: [] })
    },
  )
})

describe('every scalar is the string written', () => {
  it.each([
    ['version: 1.10', '1.10'],
    ['v: 007', '007'],
    ['v: true', 'true'],
    ['v: yes', 'yes'],
    ['v: 0x1F', '0x1F'],
    ['v: 0o17', '0o17'],
    ['v: 1e3', '1e3'],
    ['v: 1_000', '1_000'],
    ['v: +1', '+1'],
    ['v: -0', '-0'],
    ['v: .inf', '.inf'],
    ['v: .NaN', '.NaN'],
    ['v: 2001-12-14', '2001-12-14'],
    ['v: null', 'null'],
    ['v: ~', '~'],
    ['v:', ''],
    ['v:   # only a comment', ''],
    ["v: ''", ''],
    ['v: ""', ''],
    ['v: !!str', ''],
    ['v: !!str 007', '007'],
    ['v: !<tag:yaml.org,2002:str> 1.0', '1.0'],
    ['v: x # comment', 'x'],
    ["v: 'x # not a comment'", 'x # not a comment'],
    ["v: 'it''s'", "it's"],
    ['v: "a\\tb\\n\\u00e9\\x41\\"\\\\"', 'a\tb\néA"\\'],
    ['v: "\\U0001F600"', '\u{1F600}'],
    ['v: "line one\n  line two"', 'line one line two'],
    ['v: plain\n  continued', 'plain continued'],
    ['v: https://example.com/a?b=c#d', 'https://example.com/a?b=c#d'],
  ])('%j', (text, expected) => {
    const key = text.slice(0, text.indexOf(':'))
    expect(parsePayload(text).parameters).toEqual({ [key]: expected })
  })

  it.each([
    ['|', 'x\ny\n\nz\n'],
    ['|-', 'x\ny\n\nz'],
    ['|+', 'x\ny\n\nz\n\n'],
    ['>', 'x y\nz\n'],
    ['>-', 'x y\nz'],
    ['>+', 'x y\nz\n\n'],
  ])('block scalar %s keeps the text YAML defines', (header, expected) => {
    expect(parsePayload(`notes: ${header}\n  x\n  y\n\n  z\n\nnext: 1\n`).parameters).toEqual({
      notes: expected,
      next: '1',
    })
  })

  it('honours an indentation indicator', () => {
    expect(parsePayload('v: |2\n   indented\n  not\n').parameters).toEqual({ v: ' indented\nnot\n' })
  })

  it('takes JSON, turning numbers, booleans and null into their text', () => {
    const text = '{"a": 1, "b": true, "c": 1.50, "d": null, "e": 1e2, "f": "x\\ny", "g": -0.0, "h": ""}'
    expect(parsePayload(text)).toEqual({
      parameters: { a: '1', b: 'true', c: '1.50', d: 'null', e: '1e2', f: 'x\ny', g: '-0.0', h: '' },
      warnings: [],
    })
  })

  it('takes a key with no value at all as an empty string', () => {
    expect(parsePayload('{a, b: }').parameters).toEqual({ a: '', b: '' })
    expect(parsePayload('? a\n').parameters).toEqual({ a: '' })
  })

  it('takes scalar keys as written, including ones YAML would otherwise convert', () => {
    expect(parsePayload('1: a\ntrue: b\nnull: c\n0x1F: d').parameters).toEqual({
      '1': 'a',
      true: 'b',
      null: 'c',
      '0x1F': 'd',
    })
  })

  it('reads CRLF line ends and a leading byte order mark', () => {
    expect(parsePayload('\uFEFFa: 1\r\nb: |\r\n  x\r\n  y\r\n').parameters).toEqual({ a: '1', b: 'x\ny\n' })
  })

  it('is unaffected by a %YAML 1.1 directive', () => {
    expect(parsePayload('%YAML 1.1\n---\na: yes\nb: 0777\n').parameters).toEqual({ a: 'yes', b: '0777' })
  })

  it('returns an object without a prototype', () => {
    expect(Object.getPrototypeOf(parsePayload('a: 1').parameters)).toBeNull()
  })
})

describe('refused payloads', () => {
  it.each([
    ['a list at the top', '- a\n- b', /must be a mapping .*not a list/],
    ['a scalar at the top', 'just text', /must be a mapping .*not a single value/],
    ['a quoted empty string at the top', "''", /not a single value/],
    ['a JSON array', '["a=b"]', /not a list/],
    [
      'a nested mapping',
      'a: 1\ndb:\n  host: x',
      /value of "db" \(line 2\) is a mapping.*only strings.*quote.*flatten/,
    ],
    ['a nested list', 'hosts: [a, b]', /value of "hosts" \(line 1\) is a list/],
    ['nested JSON', '{"a": {"b": 1}}', /value of "a" \(line 1\) is a mapping/],
    ['an anchor', 'a: &x 1\nb: 2', /value of "a" \(line 1\) has an anchor/],
    ['an alias', 'a: &x 1\nb: *x', /anchor|alias/],
    ['an alias alone', 'b: *x', /value of "b" \(line 1\) is an alias/],
    ['an anchor on a key', '&k a: 1', /key at line 1 has an anchor/],
    ['an anchor on the top level', '&top\na: 1', /top level .* has an anchor/],
    ['!!int', 'a: !!int 5', /value of "a" \(line 1\) has the tag "!!int"; only !!str/],
    ['!!binary', 'a: !!binary aGk=', /tag "!!binary"/],
    ['!!float', 'a: !!float 1', /tag "!!float"/],
    ['a custom tag', 'a: !custom x', /tag "!custom"/],
    ['the non-specific tag', 'a: ! x', /tag "!"/],
    ['!!map on the top level', '!!map\na: 1', /top level .* tag "!!map"/],
    ['!!str on a mapping', 'a: !!str {b: c}', /tag "!!str"/],
    ['a tag on a key', '!!int 1: a', /key at line 1 has the tag "!!int"/],
    ['a merge key', 'base: x\n<<: {a: 1}', /line 2 has a merge key \(<<\)/],
    ['a merge key with an alias', 'b: &b {x: 1}\nc:\n  <<: *b', /anchor/],
    ['a duplicate key', 'a: 1\nb: 2\na: 3', /key "a" appears twice \(lines 1 and 3\)/],
    ['a duplicate JSON key', '{"a": "1",\n "a": "2"}', /key "a" appears twice \(lines 1 and 2\)/],
    [
      'keys equal but for case',
      'region: us\nREGION: eu',
      /"region" \(line 1\) and "REGION" \(line 2\).*DEPLOYMENT_PARAMETER_REGION/,
    ],
    ['a plain empty key', ': v', /key at line 1 is empty/],
    ['a quoted empty key', 'a: 1\n"": v', /key at line 2 is empty/],
    ['a list as key', '? [a]\n: b', /key at line 1 is a list or mapping/],
    ['a mapping as key', '{a: b}: c', /key at line 1 is a list or mapping/],
    ['__proto__', '__proto__: {polluted: x}', /key "__proto__" \(line 1\) is not allowed/],
    ['quoted __proto__', '"__proto__": x', /key "__proto__"/],
    ['JSON __proto__', '{"__proto__": "x"}', /key "__proto__"/],
    ['constructor', 'constructor: x', /key "constructor"/],
    ['prototype', 'prototype: x', /key "prototype"/],
    ['two documents', 'a: 1\n---\nb: 2', /more than one YAML document \('---' at line 2/],
    ['an empty second document', 'a: 1\n---\n', /more than one YAML document/],
    ['a syntax error', 'a: 1\nb: [1, 2\n', /not valid YAML at line \d+, column \d+: /],
    ['a bad escape', 'a: "\\q"', /not valid YAML at line 1, column 5: Invalid escape sequence/],
    ['tab indentation', 'a:\n\tb: 1', /not valid YAML at line 2/],
    ['a compact nested mapping', 'a: b: c', /not valid YAML at line 1/],
    [
      'JSON missing a colon',
      '{"a" "b"}',
      /not valid YAML at line 1, column \d+: Missing , or : between flow map items$/,
    ],
    ['a NUL in a value', 'a: "x\\0y"', /value of "a" \(line 1\) contains a NUL/],
    ['a NUL in a key', '"a\\0": x', /key at line 1 contains a NUL/],
  ])('%s', (_name, text, pattern) => {
    const message = errorFor(text)
    expect(message).toMatch(/^Input 'payload': /)
    expect(message).toMatch(pattern)
    expectOneCleanLine(message)
  })

  it('never pollutes a prototype', () => {
    expect(() => parsePayload('__proto__: {polluted: x}')).toThrow(InputError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('names a key but never echoes a value', () => {
    const secret = 'hunter2-SECRET'
    for (const text of [
      `a: {b: ${secret}}`,
      `a: [${secret}]`,
      `a: &x ${secret}`,
      `a: !!binary ${secret}`,
      `a: "${secret}\\0"`,
      `a: |x ${secret}\n  text\n`,
      `a: "${secret}\\q"`,
      `a: "${secret}`,
      `a: ${secret}\nb: ${'y'.repeat(PAYLOAD_MAX_JSON_BYTES)}`,
      `- ${secret}`,
      secret,
    ]) {
      expect(errorFor(text)).not.toContain(secret)
    }
  })

  it('cuts a long key and drops its control characters', () => {
    const message = errorFor(`"${'k'.repeat(200)}\\e[31m\\n": {}`)
    expect(message).toMatch(/"k+…"/)
    expect(message).not.toContain('k'.repeat(100))
    expectOneCleanLine(message)
  })

  it('reports the parser’s position, not its source excerpt', () => {
    const message = errorFor('ok: 1\nbad: "unterminated\n')
    expect(message).toMatch(/^Input 'payload': is not valid YAML at line \d+, column \d+: [^:]+$/)
    expect(message).not.toContain('unterminated')
  })

  it('turns runaway nesting into an InputError', () => {
    expect(errorFor('a: ' + '['.repeat(30000))).toMatch(/not valid YAML/)
  })
})

describe('size limits', () => {
  it(`refuses input over ${PAYLOAD_MAX_INPUT_BYTES} bytes before parsing`, () => {
    // Not YAML at all: the size is checked first.
    const message = errorFor('[' + 'x'.repeat(PAYLOAD_MAX_INPUT_BYTES))
    expect(message).toBe(
      `Input 'payload': is ${PAYLOAD_MAX_INPUT_BYTES + 1} bytes; at most ${PAYLOAD_MAX_INPUT_BYTES} bytes are accepted`,
    )
  })

  it('counts input in UTF-8 bytes', () => {
    const text = `# ${'é'.repeat(PAYLOAD_MAX_INPUT_BYTES / 2)}\na: 1`
    expect(text.length).toBeLessThan(PAYLOAD_MAX_INPUT_BYTES)
    expect(errorFor(text)).toMatch(/bytes; at most 65536 bytes/)
  })

  it('accepts input of exactly the limit (mostly comment)', () => {
    const head = 'a: 1\n# '
    expect(parsePayload(head + 'x'.repeat(PAYLOAD_MAX_INPUT_BYTES - head.length)).parameters).toEqual({
      a: '1',
    })
  })

  // {"a":"…"} is 8 bytes around the value.
  it(`accepts JSON of exactly ${PAYLOAD_MAX_JSON_BYTES} bytes and refuses one more`, () => {
    const fits = 'x'.repeat(PAYLOAD_MAX_JSON_BYTES - 8)
    expect(parsePayload(`a: ${fits}`).parameters.a).toBe(fits)
    expect(errorFor(`a: ${fits}x`)).toBe(
      `Input 'payload': is ${PAYLOAD_MAX_JSON_BYTES + 1} bytes as JSON, over Vela's limit of ${PAYLOAD_MAX_JSON_BYTES} bytes; shorten or drop some values`,
    )
  })

  it('counts the JSON in UTF-8 bytes, escapes included', () => {
    expect(errorFor(`a: ${'é'.repeat(997)}`)).toMatch(/is 2002 bytes as JSON/) // 8 + 2×997
    expect(errorFor(`a: "${'\\n'.repeat(997)}"`)).toMatch(/is 2002 bytes as JSON/) // \n is 2 bytes in JSON
  })

  it('counts <, > and & as Vela stores them (\\u003c)', () => {
    const message = errorFor(`a: "${'<'.repeat(400)}"`) // 408 bytes from JSON.stringify, 2408 from Go
    expect(message).toMatch(/is 2408 bytes as JSON \(Vela writes each <, > and & as 6\)/)
  })
})

describe('warnings', () => {
  it.each([
    ['my-key: 1', 'DEPLOYMENT_PARAMETER_MY-KEY'],
    ['a.b: 1', 'DEPLOYMENT_PARAMETER_A.B'],
    ['"with space": 1', 'DEPLOYMENT_PARAMETER_WITH SPACE'],
    ['~: 1', 'DEPLOYMENT_PARAMETER_~'],
    ['clé: 1', 'DEPLOYMENT_PARAMETER_CLÉ'],
    ['"a=b": 1', 'DEPLOYMENT_PARAMETER_A=B'],
  ])('%j: a key the shell cannot read', (text, variable) => {
    const { parameters, warnings } = parsePayload(text)
    expect(Object.keys(parameters)).toHaveLength(1)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`"${variable}"`)
    expect(warnings[0]).toMatch(/shell cannot read as \$VAR; use only letters, digits and _/)
    expectOneCleanLine(warnings[0] ?? '')
  })

  it.each(['region: 1', 'MY_KEY: 1', '_x: 1', '1st: 1', 'a1_B2: 1'])('%j: no warning', (text) => {
    expect(parsePayload(text).warnings).toEqual([])
  })

  it('lists at most five keys in one warning', () => {
    const text = Array.from({ length: 8 }, (_, i) => `k-${i}: v`).join('\n')
    const { warnings } = parsePayload(text)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/"DEPLOYMENT_PARAMETER_K-4" and 3 more,/)
  })

  it('passes on the parser’s own warnings', () => {
    const { parameters, warnings } = parsePayload('%FOO bar\n---\na: 1')
    expect(parameters).toEqual({ a: '1' })
    expect(warnings).toEqual(["Input 'payload': YAML warning at line 1, column 1: Unknown directive %FOO"])
  })

  describe('the parser prints nothing', () => {
    afterEach(() => {
      jest.restoreAllMocks()
    })

    it.each(['%FOO bar\n---\na: 1', 'a: !!int 1', 'a: !custom x', 'a: !!str {b: c}', '%YAML 9.9\n---\na: 1'])(
      '%j',
      (text) => {
        const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
        const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
        const error = jest.spyOn(console, 'error').mockImplementation(() => undefined)
        const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
        try {
          parsePayload(text)
        } catch {
          // Errors are fine here; printing is not.
        }
        expect(emitWarning).not.toHaveBeenCalled()
        expect(warn).not.toHaveBeenCalled()
        expect(error).not.toHaveBeenCalled()
        expect(stderr).not.toHaveBeenCalled()
      },
    )
  })
})

describe('properties', () => {
  const reserved = new Set(['__proto__', 'constructor', 'prototype'])
  // Keys unique ignoring case; values any text but NUL, short enough to stay under the JSON limit.
  const safeKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/).filter((k) => !reserved.has(k))
  const value = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\0/g, ''))
  const entries = fc.uniqueArray(fc.tuple(safeKey, value), {
    maxLength: 6,
    selector: ([key]) => key.toUpperCase(),
  })

  it.each([
    '\u2028',
    '\u0085',
    '\uFEFF',
    '\u007f',
    '\u009b',
    '\uFFFE',
    '\ud800',
    '\r',
    '\r\n',
    ' x ',
    '\t',
    '\n\n',
  ])('gives back %j written as JSON or as a double-quoted YAML value', (v) => {
    expect(parsePayload(JSON.stringify({ k: v })).parameters).toEqual({ k: v })
    expect(parsePayload(`k: ${JSON.stringify(v)}`).parameters).toEqual({ k: v })
  })

  it('gives back any map of strings written as JSON', () => {
    fc.assert(
      fc.property(entries, (pairs) => {
        const map = Object.fromEntries(pairs)
        expect(parsePayload(JSON.stringify(map))).toEqual({ parameters: map, warnings: [] })
      }),
      { numRuns: 300 },
    )
  })

  it('gives back any map of strings written as YAML with double-quoted values', () => {
    fc.assert(
      fc.property(entries, (pairs) => {
        // JSON string syntax is YAML double-quoted syntax.
        const text = pairs.map(([key, v]) => `${key}: ${JSON.stringify(v)}`).join('\n')
        expect(parsePayload(text)).toEqual({ parameters: Object.fromEntries(pairs), warnings: [] })
      }),
      { numRuns: 300 },
    )
  })

  // Arbitrary text, and text assembled from YAML's own punctuation to reach deeper into the parser.
  const yamlish = fc
    .array(
      fc.constantFrom(
        'a',
        'B',
        '1',
        '__proto__',
        'constructor',
        '<<',
        '~',
        '-',
        ':',
        ': ',
        ' ',
        '  ',
        '\n',
        '\r\n',
        '\t',
        '#',
        '[',
        ']',
        '{',
        '}',
        ',',
        '"',
        "'",
        '\\',
        '?',
        '|',
        '>',
        '+',
        '&x',
        '*x',
        '!!int',
        '!!str',
        '!x',
        '---',
        '...',
        '%YAML 1.2\n',
        '%TAG ! tag:x,2000:\n',
        '\0',
        '\u2028',
        '\uFEFF',
        'é',
        '\u{1F600}',
        '\\u00',
        '0x',
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''))
  const anyText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    yamlish,
  )

  it('throws nothing but a one-line InputError, and otherwise returns strings', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let result
        try {
          result = parsePayload(text)
        } catch (error) {
          expect(error).toBeInstanceOf(InputError)
          const message = (error as InputError).message
          expect(message).toMatch(/^Input 'payload': /)
          expectOneCleanLine(message)
          return
        }
        expect(Object.getPrototypeOf(result.parameters)).toBeNull()
        expect(Object.keys(result.parameters)).not.toContain('__proto__')
        for (const [key, v] of Object.entries(result.parameters)) {
          expect(typeof key).toBe('string')
          expect(key).not.toBe('')
          expect(typeof v).toBe('string')
        }
        for (const warning of result.warnings) expectOneCleanLine(warning)
      }),
      { numRuns: 2000 },
    )
  })
})
