import type { RecordedExchange } from '../../real-vela/recording.js'

// The JSON shape of a server's answers, to hold the fake Vela to what a real one sent: every field path with
// the set of JSON types seen there (null included), merged over every answer of one kind.

/** Field path → JSON types seen; `[]` stands for any element of an array. */
export type Shape = Map<string, Set<string>>

/** The JSON type; an object with no keys counts apart, so `{}` where the server sends keys shows. */
function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'empty object' : 'object'
  return typeof value
}

/** Maps whose keys are the user's (deployment parameters, pipeline parameters): any key is `*`. */
const USER_KEYED = /\.(payload|deploy_payload|parameters)$/

export function addToShape(shape: Shape, value: unknown, path = '$'): void {
  const types = shape.get(path) ?? new Set<string>()
  types.add(typeOf(value))
  shape.set(path, types)
  if (Array.isArray(value)) for (const item of value) addToShape(shape, item, `${path}[]`)
  else if (value !== null && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      addToShape(shape, field, `${path}.${USER_KEYED.test(path) ? '*' : key}`)
    }
  }
}

/** What one side has that the other lacks, or has with other types; empty when the shapes agree. */
export function shapeDifferences(real: Shape, fake: Shape): string[] {
  const paths = [...new Set([...real.keys(), ...fake.keys()])].sort()
  const show = (types: Set<string> | undefined) => (types ? [...types].sort().join('|') : 'absent')
  return paths
    .filter((path) => show(real.get(path)) !== show(fake.get(path)))
    .map((path) => `${path}: real ${show(real.get(path))}, fake ${show(fake.get(path))}`)
}

/** One kind of exchange: method, route (repository and numbers as placeholders) and query, and the status. */
export function kindOf(exchange: RecordedExchange): string {
  const [path = '', query] = exchange.path.split('?')
  const route = path
    .replace(/\/(deployments|repos|hooks)\/[^/]+\/[^/]+/, '/$1/:org/:repo')
    .replace(/\/\d+(?=\/|$)/g, '/:n')
  return `${exchange.method} ${route}${query ? `?${query}` : ''} → ${exchange.status ?? 'no answer'}`
}

export interface Kind {
  shape: Shape
  contentTypes: Set<string>
}

/** Exchanges grouped by kind, each with its bodies' merged shape and the content types it came with. */
export class Catalogue {
  readonly kinds = new Map<string, Kind>()

  add(exchanges: RecordedExchange[]): void {
    for (const exchange of exchanges) {
      const key = kindOf(exchange)
      const kind: Kind = this.kinds.get(key) ?? {
        shape: new Map<string, Set<string>>(),
        contentTypes: new Set<string>(),
      }
      addToShape(kind.shape, exchange.body)
      kind.contentTypes.add(exchange.headers['content-type'] ?? '(none)')
      this.kinds.set(key, kind)
    }
  }
}

/** How the fake's answers of one kind differ from the real server's: body shape and content type. */
export function kindDifferences(real: Kind, fake: Kind): string[] {
  const list = (set: Set<string>) => [...set].sort().join(', ')
  const differences = shapeDifferences(real.shape, fake.shape)
  if (list(real.contentTypes) !== list(fake.contentTypes)) {
    differences.push(`content-type: real ${list(real.contentTypes)}, fake ${list(fake.contentTypes)}`)
  }
  return differences
}
