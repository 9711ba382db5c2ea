// Response shapes and query keys of the account-security endpoints (/api/auth/sessions, /api/auth/password).
import type { SessionSummary } from '@/server/auth/auth-provider'
import type { Jsonified } from '@/core/util/jsonified'

export type SessionItem = Jsonified<SessionSummary>

export interface SessionsResponse {
  sessions: SessionItem[]
}

export const securityKeys = {
  sessions: ['auth-sessions'] as const,
}

/** "Chrome on Windows" from a user agent: enough for a person to recognise their own device. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device'
  const browser =
    [
      ['Edge', /Edg\//],
      ['Opera', /OPR\//],
      ['Samsung Internet', /SamsungBrowser\//],
      ['Chrome', /Chrome\/|CriOS\//],
      ['Firefox', /Firefox\/|FxiOS\//],
      ['Safari', /Safari\//],
    ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] ?? 'Browser'
  const os =
    [
      ['iPhone', /iPhone/],
      ['iPad', /iPad/],
      ['Android', /Android/],
      ['Windows', /Windows/],
      ['macOS', /Mac OS X|Macintosh/],
      ['ChromeOS', /CrOS/],
      ['Linux', /Linux/],
    ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] ?? null
  return os ? `${browser} on ${os}` : String(browser)
}
