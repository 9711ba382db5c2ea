import { peekInvitation } from '@/core/tenancy/peek-invitation'
import { db } from '@/server/db/db'
import { publicRoute } from '@/server/http/route'

export const GET = publicRoute({}, async ({ params }) =>
  db().withService((tx) => peekInvitation(tx, String(params.token ?? ''))),
)
