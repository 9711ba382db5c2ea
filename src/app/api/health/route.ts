import { db } from '@/server/db/db'
import { publicRoute } from '@/server/http/route'

export const dynamic = 'force-dynamic'

export const GET = publicRoute({}, async () => {
  const started = performance.now()
  await db().sql`select 1`
  return { ok: true, dbLatencyMs: Math.round(performance.now() - started) }
})
