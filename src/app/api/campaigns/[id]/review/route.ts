import { z } from 'zod'
import { idParam } from '@/core/crm/contact-id-param'
import { reviewFor } from '@/server/campaigns/campaign-detail'
import { tenantRoute } from '@/server/http/route'

const reviewQuery = z.object({ sample: z.coerce.number().int().min(0).max(20).default(5) })

export const GET = tenantRoute({ input: reviewQuery }, async ({ tx, tenant, input, params }) => ({
  review: await reviewFor(tx, tenant.id, idParam(params.id, 'Campaign'), input.sample),
}))
