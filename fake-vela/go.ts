// Small re-creations of Go standard-library behaviour that shows on the wire of a Go (gin) server.

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

/** strconv.Atoi for decimal integers, with Go's error text for anything else. */
export function atoi(s: string): { value: number } | { error: string } {
  if (!/^[+-]?\d+$/.test(s)) return { error: `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax` }
  return { value: Number(s) }
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
