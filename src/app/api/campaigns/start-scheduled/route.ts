// QStash delivers a scheduled campaign's start here at its time, signed; anything unsigned is a 401.
// A delivery for a campaign no longer scheduled at that time (cancelled, rescheduled, started) does nothing.
import { z } from 'zod'
import { startCampaign } from '@/core/campaigns/campaign-lifecycle'
import { AppError } from '@/core/errors/app-error'
import { parseInput } from '@/core/errors/parse-input'
import { db } from '@/server/db/db'
import { publicRoute } from '@/server/http/route'
import { readRawBody } from '@/server/http/read-body'
import { verifyQstashSignature } from '@/server/http/qstash-signature'
import { CAMPAIGN_START_PATH } from '@/server/qstash/campaign-start'

const startBody = z.object({ campaignId: z.uuid(), scheduledAt: z.iso.datetime({ offset: true }) })

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    throw new AppError('bad_request', 'The body is not JSON')
  }
}

export const POST = publicRoute({}, async ({ req }) => {
  const raw = (await readRawBody(req, 64_000)).toString('utf8')
  await verifyQstashSignature(req, raw, CAMPAIGN_START_PATH)
  const body = parseInput(startBody, parseJson(raw), 'bad_request')
  const started = await db().withService(async (tx) => {
    const [campaign] = await tx<{ tenantId: string }[]>`
      select tenant_id as "tenantId" from public.campaigns
      where id = ${body.campaignId} and status = 'scheduled' and scheduled_at = ${new Date(body.scheduledAt)}`
    return campaign ? startCampaign(tx, campaign.tenantId, body.campaignId) : false
  })
  return { started }
})
