// Decoding a create-deployment body the way the server does (§1.2): gin's c.Bind → a plain encoding/json
// Decoder into api/types.Deployment, with `payload` as raw.StringSliceMap.

/** A parsed JSON value that keeps number literals as written (Go rejects 1.0 or 1e3 for an int64). */
export type JsonNode =
  | { kind: 'object'; entries: Array<[string, JsonNode]> }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; literal: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }

/** Go's name for a JSON value kind in UnmarshalTypeError messages. */
function goKind(node: JsonNode): string {
  return node.kind === 'null' ? 'null' : node.kind
}

class DecodeError extends Error {}

/**
 * Reads the first JSON value of `text` like json.Decoder.Decode: whitespace only → "EOF", a cut-off value →
 * "unexpected EOF", bad input → "invalid character 'x' <where>". Anything after the first value is not read.
 */
export function readFirstValue(text: string): JsonNode {
  let pos = 0

  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r'
  const skipSpace = () => {
    while (isSpace(text[pos])) pos++
  }
  const quoteChar = (c: string) => {
    if (c === "'") return "'\\''"
    if (c === '"') return `'"'`
    return `'${JSON.stringify(c).slice(1, -1)}'`
  }
  /** The error for the character at `pos` (or the end of input). */
  const syntaxError = (where: string) => {
    const c = text[pos]
    return new DecodeError(c === undefined ? 'unexpected EOF' : `invalid character ${quoteChar(c)} ${where}`)
  }
  const expectLiteral = (word: string, node: JsonNode): JsonNode => {
    for (let i = 1; i < word.length; i++) {
      pos++
      if (text[pos] !== word[i]) throw syntaxError(`in literal ${word} (expecting '${word[i] ?? ''}')`)
    }
    pos++
    return node
  }
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'
  const digits = (where: string) => {
    if (!isDigit(text[pos])) throw syntaxError(where)
    while (isDigit(text[pos])) pos++
  }
  const ESCAPES: Record<string, string> = {
    '"': '"',
    '\\': '\\',
    '/': '/',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
  }

  const readString = (): string => {
    pos++ // opening quote
    let out = ''
    for (;;) {
      const c = text[pos]
      if (c === undefined || c < ' ') throw syntaxError('in string literal')
      pos++
      if (c === '"') return out
      if (c !== '\\') {
        out += c
        continue
      }
      const e = text[pos] ?? ''
      const simple = ESCAPES[e]
      if (simple !== undefined) {
        out += simple
        pos++
      } else if (e === 'u') {
        pos++
        const hex = text.slice(pos, pos + 4)
        const bad = hex.search(/[^0-9a-fA-F]/)
        if (bad >= 0 || hex.length < 4) {
          pos += bad >= 0 ? bad : hex.length
          throw syntaxError('in \\u hexadecimal character escape')
        }
        out += String.fromCharCode(parseInt(hex, 16))
        pos += 4
      } else {
        throw syntaxError('in string escape code')
      }
    }
  }

  const readValue = (): JsonNode => {
    skipSpace()
    const c = text[pos]
    if (c === '{') {
      pos++
      const entries: Array<[string, JsonNode]> = []
      skipSpace()
      if (text[pos] === '}') {
        pos++
        return { kind: 'object', entries }
      }
      for (;;) {
        skipSpace()
        if (text[pos] !== '"') throw syntaxError('looking for beginning of object key string')
        const key = readString()
        skipSpace()
        if (text[pos] !== ':') throw syntaxError('after object key')
        pos++
        entries.push([key, readValue()])
        skipSpace()
        if (text[pos] === ',') {
          pos++
          continue
        }
        if (text[pos] === '}') {
          pos++
          return { kind: 'object', entries }
        }
        throw syntaxError('after object key:value pair')
      }
    }
    if (c === '[') {
      pos++
      const items: JsonNode[] = []
      skipSpace()
      if (text[pos] === ']') {
        pos++
        return { kind: 'array', items }
      }
      for (;;) {
        items.push(readValue())
        skipSpace()
        if (text[pos] === ',') {
          pos++
          continue
        }
        if (text[pos] === ']') {
          pos++
          return { kind: 'array', items }
        }
        throw syntaxError('after array element')
      }
    }
    if (c === '"') return { kind: 'string', value: readString() }
    if (c === '-' || isDigit(c)) {
      const start = pos
      if (c === '-') pos++
      if (text[pos] === '0') pos++
      else digits('in numeric literal')
      if (text[pos] === '.') {
        pos++
        digits('after decimal point in numeric literal')
      }
      if (text[pos] === 'e' || text[pos] === 'E') {
        pos++
        if (text[pos] === '+' || text[pos] === '-') pos++
        digits('in exponent of numeric literal')
      }
      return { kind: 'number', literal: text.slice(start, pos) }
    }
    if (c === 't') return expectLiteral('true', { kind: 'bool', value: true })
    if (c === 'f') return expectLiteral('false', { kind: 'bool', value: false })
    if (c === 'n') return expectLiteral('null', { kind: 'null' })
    throw syntaxError('looking for beginning of value')
  }

  skipSpace()
  if (pos >= text.length) throw new DecodeError('EOF')
  return readValue()
}

/** raw.StringSliceMap.UnmarshalJSON (§1.2 table). Returns undefined when the value is rejected. */
export function decodeStringSliceMap(node: JsonNode): Record<string, string> | undefined {
  // 1. As a StringSlice: a JSON string, or an array of strings (null elements become "").
  let slice: string[] | undefined
  if (node.kind === 'string') slice = [node.value]
  else if (node.kind === 'null') slice = ['']
  else if (node.kind === 'array' && node.items.every((i) => i.kind === 'string' || i.kind === 'null')) {
    slice = node.items.map((i) => (i.kind === 'string' ? i.value : ''))
  }
  if (slice) {
    const map: Record<string, string> = {}
    for (const element of slice) {
      const eq = element.indexOf('=')
      if (eq < 0) return undefined // no map fallback once the slice decoded
      map[element.slice(0, eq)] = element.slice(eq + 1)
    }
    return map
  }
  // 2. As map[string]string (null values become "").
  if (node.kind === 'object' && node.entries.every(([, v]) => v.kind === 'string' || v.kind === 'null')) {
    const map: Record<string, string> = {}
    for (const [k, v] of node.entries) map[k] = v.kind === 'string' ? v.value : ''
    return map
  }
  return undefined
}

/** The request fields the handler uses (§1.2); everything else is decoded, then overwritten or ignored. */
export interface DeploymentInput {
  ref?: string
  target?: string
  task?: string
  description?: string
  /** undefined when left out or null (§1.2: "payload stays nil"). */
  payload?: Record<string, string>
}

const STRING_INPUTS = ['ref', 'target', 'task', 'description'] as const
const isStringInput = (field: string): field is (typeof STRING_INPUTS)[number] =>
  (STRING_INPUTS as readonly string[]).includes(field)

type FieldType = 'string' | 'int64' | 'types.Repo' | '[]*types.Build' | 'StringSliceMap'

/** api/types.Deployment's JSON fields and Go types, in struct order. */
const DEPLOYMENT_FIELDS: Record<string, FieldType> = {
  id: 'int64',
  number: 'int64',
  repo: 'types.Repo',
  url: 'string',
  commit: 'string',
  ref: 'string',
  task: 'string',
  target: 'string',
  description: 'string',
  payload: 'StringSliceMap',
  created_at: 'int64',
  created_by: 'string',
  builds: '[]*types.Build',
}

/** encoding/json matches keys to fields exactly first, then case-insensitively. */
function fieldFor(key: string): string | undefined {
  if (key in DEPLOYMENT_FIELDS) return key
  return Object.keys(DEPLOYMENT_FIELDS).find((f) => f.toLowerCase() === key.toLowerCase())
}

/**
 * Decodes a body sent with Content-Type application/json into the Deployment fields.
 * Errors carry the text after 'unable to decode JSON for new deployment for o/r: '.
 */
export function decodeDeploymentBody(text: string): { input: DeploymentInput } | { error: string } {
  let root: JsonNode
  try {
    root = readFirstValue(text)
  } catch (error) {
    if (error instanceof DecodeError) return { error: error.message }
    throw error
  }
  if (root.kind === 'null') return { input: {} }
  if (root.kind !== 'object') {
    return { error: `json: cannot unmarshal ${goKind(root)} into Go value of type types.Deployment` }
  }

  const input: DeploymentInput = {}
  // A type mismatch is remembered and decoding goes on (the first one is reported); an error from a custom
  // UnmarshalJSON (payload) stops decoding at once and wins.
  let firstTypeError: string | undefined
  const typeError = (value: string, field: string, type: string) => {
    firstTypeError ??= `json: cannot unmarshal ${value} into Go struct field Deployment.${field} of type ${type}`
  }

  for (const [key, value] of root.entries) {
    const field = fieldFor(key)
    if (field === undefined) continue // unknown fields are ignored
    const type = DEPLOYMENT_FIELDS[field] as FieldType
    if (value.kind === 'null') {
      // null leaves a pointer field nil
      if (isStringInput(field)) input[field] = undefined
      else if (field === 'payload') input.payload = undefined
      continue
    }
    switch (type) {
      case 'string':
        if (value.kind !== 'string') typeError(goKind(value), field, 'string')
        else if (isStringInput(field)) input[field] = value.value
        break
      case 'int64':
        if (value.kind === 'number') {
          if (
            !/^-?\d+$/.test(value.literal) ||
            BigInt(value.literal) > 2n ** 63n - 1n ||
            BigInt(value.literal) < -(2n ** 63n)
          ) {
            typeError(`number ${value.literal}`, field, 'int64')
          }
        } else typeError(goKind(value), field, 'int64')
        break
      case 'types.Repo':
        if (value.kind !== 'object') typeError(goKind(value), field, type)
        break
      case '[]*types.Build':
        if (value.kind !== 'array') typeError(goKind(value), field, type)
        else {
          const bad = value.items.find((i) => i.kind !== 'object' && i.kind !== 'null')
          if (bad) typeError(goKind(bad), field, 'types.Build')
        }
        break
      case 'StringSliceMap': {
        const map = decodeStringSliceMap(value)
        if (map === undefined) return { error: 'unable to unmarshal into StringSliceMap' }
        input.payload = map
        break
      }
    }
  }
  if (firstTypeError) return { error: firstTypeError }
  return { input }
}
