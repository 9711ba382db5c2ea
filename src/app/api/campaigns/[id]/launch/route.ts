import { recordScheduleMessage, scheduleCampaign, startCampaign } from '@/core/campaigns/campaign-lifecycle'
import { lockCampaign } from '@/core/campaigns/campaign-records'
import { launchSchema } from '@/core/campaigns/campaign-schemas'
import { idParam } from '@/core/crm/contact-id-param'
import { AppError, conflict } from '@/core/errors/app-error'
import { campaignDetail, reviewFor } from '@/server/campaigns/campaign-detail'
import { config } from '@/server/config'
import { tenantRoute } from '@/server/http/route'
import { publishCampaignStart } from '@/server/qstash/campaign-start'

// A time this close is "now": QStash would deliver it at once anyway.
const NOW_WITHIN_MS = 5_000

export const POST = tenantRoute({ input: launchSchema, minRole: 'supervisor' }, async ({ tx, tenant, input, params }) => {
  const id = idParam(params.id, 'Campaign')
  const { status } = await lockCampaign(tx, tenant.id, id)
  if (status !== 'draft') throw conflict(`Only a draft can be launched; this campaign is ${status}`)
  const { problems } = await reviewFor(tx, tenant.id, id, 0)
  if (problems.length)
    throw new AppError(
      'validation_failed',
      problems.join('; '),
      problems.map((message) => ({ path: '', message })),
    )
  const at = input.scheduledAt ? new Date(input.scheduledAt) : null
  if (at && at.getTime() > Date.now() + NOW_WITHIN_MS) {
    await scheduleCampaign(tx, tenant.id, id, at)
    // Inside the transaction: if QStash refuses, the campaign stays a draft.
    const messageId = await publishCampaignStart(config(), id, at)
    if (messageId) await recordScheduleMessage(tx, id, messageId)
  } else {
    await startCampaign(tx, tenant.id, id)
  }
  return { campaign: await campaignDetail(tx, tenant.id, id) }
})
