const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000 }

/**
 * Parses `90s`, `15m`, `1h`, `1h30m`, `1h30m15s` or bare seconds (`600`) into milliseconds.
 * Units must come in h, m, s order, each at most once. Returns undefined for anything else.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase()
  if (/^\d+$/.test(value)) return Number(value) * 1_000
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value)
  if (!match || value === '') return undefined
  const [, h, m, s] = match
  return [
    [h, 'h'],
    [m, 'm'],
    [s, 's'],
  ].reduce((ms, [amount, unit]) => ms + (amount ? Number(amount) * (UNIT_MS[unit as string] ?? 0) : 0), 0)
}

/** `5400000` → `1h30m`; used to echo durations back in messages. */
export function formatDuration(ms: number): string {
  let seconds = Math.round(ms / 1_000)
  if (seconds === 0) return `${ms}ms`
  const parts: string[] = []
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const amount = Math.floor(seconds / size)
    if (amount > 0) parts.push(`${amount}${unit}`)
    seconds -= amount * size
  }
  return parts.join('')
}
