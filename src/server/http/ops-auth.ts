// Who may see and steer the queues: a caller with the ops bearer token (compared timing-safe), or a
// signed-in platform admin. Anyone else: 401 without credentials, 403 with the wrong ones.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { NextRequest } from 'next/server'
import { isPlatformAdmin } from '@/core/auth/claims'
import { forbidden } from '@/core/errors/app-error'
import { config } from '@/server/config'
import { bearerToken, resolveSession } from './resolve-session'

// Hashing first gives equal-length inputs, so the comparison leaks neither content nor length.
const digest = (value: string) => createHash('sha256').update(value).digest()

export async function authorizeOps(req: NextRequest): Promise<void> {
  const bearer = bearerToken(req.headers)
  const opsToken = config().OPS_TOKEN
  if (bearer && opsToken && timingSafeEqual(digest(bearer), digest(opsToken))) return
  const session = await resolveSession(req.headers, req.cookies)
  if (!isPlatformAdmin(session.claims)) throw forbidden('Platform administrators or the ops token only')
}
