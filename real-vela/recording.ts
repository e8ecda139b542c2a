// What a run recorded, written down so that runs on different days and machines compare: tokens, commit
// SHAs, times and local addresses are replaced by fixed stand-ins, and repeated polls by a count.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Exchange } from './recorder.js'
import type { Release } from './scenarios.js'

/** Beside the fake Vela, which the contract test holds to them. */
export const RECORDINGS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fake-vela', 'recordings')

export interface RecordedExchange {
  method: string
  path: string
  /** The request headers that matter, and the body when there is one. */
  request: { headers: Record<string, string>; body?: unknown }
  /** Absent when no answer came. */
  status?: number
  headers: Record<string, string>
  body: unknown
  /** The answer was lost on the way to the action. */
  lost?: true
  /** How many times in a row this same exchange happened (polls), when more than once. */
  times?: number
}

export interface Recording {
  release: Release
  scenario: string
  /** The day the real server answered. */
  recordedOn: string
  /** What the action made of the answers: its exit code, and the one line it failed with. */
  outcome: { exitCode: number | null; failure?: string }
  exchanges: RecordedExchange[]
}

const REQUEST_HEADERS = ['content-type', 'token', 'authorization']
const RESPONSE_HEADERS = ['content-type', 'link', 'retry-after', 'location']
const TIME_KEYS =
  /^(created|started|finished|enqueued|created_at|updated_at|approved_at|last_checked_in|expiration)$/
const FIXED_TIME = 1_700_000_000
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/

/** Replaces what differs from run to run. `hosts` maps each local address to the name it is written as. */
export class Normaliser {
  constructor(private readonly hosts: Record<string, string>) {}

  text(value: string): string {
    let out = value
    for (const [address, name] of Object.entries(this.hosts)) out = out.split(address).join(name)
    return out
      .replace(/\b[0-9a-f]{40}\b/g, '<sha>')
      .replace(/\b(?:gh[pousr]_|github_pat_)\w+/g, '<github-token>')
      .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<token>')
      .replace(/([?&](?:before|after)=)\d+/g, '$1<time>')
  }

  json(value: unknown, key = ''): unknown {
    if (typeof value === 'string') return JWT.test(value) ? '<token>' : this.text(value)
    if (typeof value === 'number') return TIME_KEYS.test(key) && value > 0 ? FIXED_TIME : value
    if (Array.isArray(value)) return value.map((item) => this.json(item, key))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.json(v, k)]))
    }
    return value
  }

  body(text: string): unknown {
    if (text === '') return ''
    try {
      return this.json(JSON.parse(text))
    } catch {
      return this.text(text)
    }
  }

  exchange(exchange: Exchange): RecordedExchange {
    const pick = (headers: Record<string, string>, names: string[]) =>
      Object.fromEntries(
        names.filter((n) => headers[n] !== undefined).map((n) => [n, this.text(headers[n] ?? '')]),
      )
    const request: RecordedExchange['request'] = { headers: pick(exchange.requestHeaders, REQUEST_HEADERS) }
    if (request.headers.token) request.headers.token = '<github-token>'
    if (exchange.requestBody) request.body = this.body(exchange.requestBody)
    const recorded: RecordedExchange = {
      method: exchange.method,
      path: this.text(exchange.path),
      request,
      status: exchange.status,
      headers: pick(exchange.headers, RESPONSE_HEADERS),
      body: this.body(exchange.body),
    }
    if (exchange.lost) recorded.lost = true
    return recorded
  }

  /** The exchanges in order, each run of identical ones folded into one with its count. */
  exchanges(exchanges: Exchange[]): RecordedExchange[] {
    const out: RecordedExchange[] = []
    for (const exchange of exchanges) {
      const recorded = this.exchange(exchange)
      const last = out.at(-1)
      if (last && JSON.stringify({ ...last, times: undefined }) === JSON.stringify(recorded)) {
        last.times = (last.times ?? 1) + 1
      } else out.push(recorded)
    }
    return out
  }
}

function fileOf(release: Release, scenario: string): string {
  return join(RECORDINGS_DIR, release, `${scenario}.json`)
}

export function writeRecording(recording: Recording): void {
  const file = fileOf(recording.release, recording.scenario)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`)
}

/** Every recording kept, release by release. */
export function readRecordings(): Recording[] {
  if (!existsSync(RECORDINGS_DIR)) return []
  return readdirSync(RECORDINGS_DIR)
    .sort()
    .flatMap((release) =>
      readdirSync(join(RECORDINGS_DIR, release))
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => JSON.parse(readFileSync(join(RECORDINGS_DIR, release, file), 'utf8')) as Recording),
    )
}
