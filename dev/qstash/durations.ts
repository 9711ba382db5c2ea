// QStash duration headers (`Upstash-Delay`, `Upstash-Timeout`) take Go-style durations such as
// `10s`, `2m`, `1h30m` or `500ms`; a bare number means seconds.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g

export function parseDurationMs(value: string): number | undefined {
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1_000
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)) return undefined
  let total = 0
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0)
  return total
}
