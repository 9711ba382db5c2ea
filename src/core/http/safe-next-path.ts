// Where to send someone after signing in or renewing a session: only a path of this app. The path is
// resolved the way browsers resolve it (a backslash counts as a slash, tabs and newlines vanish, so
// `/\evil.example` and `/\t/evil.example` both mean `//evil.example`), and kept only when it stays on
// our origin; what is returned is the resolved path, so the redirect is exactly what was checked.
const BASE = 'https://app.invalid'

export function safeNextPath(next: string | null | undefined, fallback = '/inbox'): string {
  if (!next || !next.startsWith('/')) return fallback
  if (!URL.canParse(next, BASE)) return fallback
  const url = new URL(next, BASE)
  if (url.origin !== BASE) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}
