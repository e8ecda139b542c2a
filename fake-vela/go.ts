// Small re-creations of Go standard-library behaviour that shows on the wire of a Go (gin) server.

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** encoding/json Marshal: like JSON.stringify, but <, >, &, U+2028 and U+2029 are escaped (HTML-safe). */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** A copy of a string map with sorted keys: Go marshals maps in key order. */
export function sortedMap<T>(map: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {}
  for (const key of Object.keys(map).sort()) out[key] = map[key] as T
  return out
}

/** strconv.Quote for the common case (ASCII text). */
export function goQuote(s: string): string {
  return JSON.stringify(s)
}

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range. */
export function parseInt64(
  s: string,
): { value: bigint } | { error: 'invalid syntax' | 'value out of range' } {
  if (!/^[+-]?\d+$/.test(s)) return { error: 'invalid syntax' }
  const value = BigInt(s)
  if (value < INT64_MIN || value > INT64_MAX) return { error: 'value out of range' }
  return { value }
}

/** strconv.Atoi, returning Go's error text on failure. */
export function atoi(s: string): { value: number } | { error: string } {
  const parsed = parseInt64(s)
  if ('error' in parsed) return { error: `strconv.Atoi: parsing ${goQuote(s)}: ${parsed.error}` }
  return { value: Number(parsed.value) }
}

/** strconv.ParseInt(s, 10, 64), returning Go's error text on failure. */
export function parseInt64OrError(s: string): { value: number } | { error: string } {
  const parsed = parseInt64(s)
  if ('error' in parsed) return { error: `strconv.ParseInt: parsing ${goQuote(s)}: ${parsed.error}` }
  return { value: Number(parsed.value) }
}

/** strconv.ParseBool accepts exactly these (§1.4). */
export function isGoBool(s: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)
}

/** Vela's util.EscapeValue on path and query parameters: drop CR/LF, then html.EscapeString. */
export function escapeValue(s: string): string {
  return s
    .replace(/[\r\n]/g, '')
    .replace(
      /[<>&'"]/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;' })[c] ?? c,
    )
}
