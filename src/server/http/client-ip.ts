// The address a request came from, for throttling and for the session list. Route handlers do not see
// the socket, so it comes from X-Forwarded-For: each proxy appends the address it received the request
// from, so the entry TRUSTED_PROXY_HOPS from the right is the client as our nearest trusted proxy saw it
// (Vercel replaces the header with the client's address alone). Entries further left are the client's
// own claims and are never trusted. `next start` exposed without a proxy fills the header only when the
// client sent none, so deploy behind a proxy (or Vercel) where addresses matter.
import { isIP } from 'node:net'
import { config } from '@/server/config'

export function clientIp(headers: Headers): string | undefined {
  const hops = headers.get('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean) ?? []
  const candidate = hops[hops.length - config().TRUSTED_PROXY_HOPS] ?? hops[0]
  const ip = candidate?.replace(/^::ffff:/, '')
  return ip && isIP(ip) ? ip : undefined
}
