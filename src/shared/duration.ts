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

/**
 * How every duration is shown, in the log, the failure line and the summary: `192000` → `3m 12s`,
 * `5400000` → `1h 30m`, `7000` → `7s`, less than half a second → `under 1s`. Zero units at the end are left out.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1_000)
  if (seconds <= 0) return 'under 1s'
  const units: Array<[number, string]> = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ]
  const first = units.findIndex(([amount]) => amount > 0)
  const last = units.findLastIndex(([amount]) => amount > 0)
  return units
    .slice(first, last + 1)
    .map(([amount, unit], i) => `${i === 0 ? amount : String(amount).padStart(2, '0')}${unit}`)
    .join(' ')
}
