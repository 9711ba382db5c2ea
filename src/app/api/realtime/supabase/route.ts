// What the browser needs to hear the workspace through Supabase Realtime: the project's public URL
// and anon key, and the member's own access token, which Realtime checks against the RLS policies.
import { notFound } from '@/core/errors/app-error'
import { config } from '@/server/config'
import { tenantRoute } from '@/server/http/route'
import { ACCESS_COOKIE } from '@/server/http/session-cookies'

export const dynamic = 'force-dynamic'

export const GET = tenantRoute({}, async ({ req, tenant, claims }) => {
  const c = config()
  const accessToken = req.cookies.get(ACCESS_COOKIE)?.value
  if (c.AUTH_PROVIDER !== 'supabase' || !c.SUPABASE_URL || !c.SUPABASE_ANON_KEY || !accessToken) throw notFound('Supabase Realtime')
  return { url: c.SUPABASE_URL, anonKey: c.SUPABASE_ANON_KEY, accessToken, expiresAt: claims.exp, tenantId: tenant.id }
})
