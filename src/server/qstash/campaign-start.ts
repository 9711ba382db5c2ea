// Scheduled campaigns start through QStash: a message published with Upstash-Not-Before arrives, signed,
// at the start route at the scheduled minute. The deduplication id makes a repeated publish one message;
// the campaign's stored message id lets a cancel delete it. Without QStash configured the worker starts
// campaigns once they are overdue.
import { Client } from '@upstash/qstash'
import type { Config } from '@/server/config'
import { log } from '@/server/log'

export const CAMPAIGN_START_PATH = '/api/campaigns/start-scheduled'

const client = (c: Pick<Config, 'QSTASH_URL' | 'QSTASH_TOKEN'>) => new Client({ baseUrl: c.QSTASH_URL, token: c.QSTASH_TOKEN! })

export async function publishCampaignStart(c: Pick<Config, 'QSTASH_URL' | 'QSTASH_TOKEN' | 'APP_URL'>, campaignId: string, at: Date): Promise<string | null> {
  if (!c.QSTASH_TOKEN) return null
  const result = await client(c).publishJSON({
    url: new URL(CAMPAIGN_START_PATH, c.APP_URL).toString(),
    body: { campaignId, scheduledAt: at.toISOString() },
    notBefore: Math.floor(at.getTime() / 1000),
    retries: 3,
    deduplicationId: `campaign-start-${campaignId}-${at.getTime()}`,
  })
  return result.messageId
}

/** Best effort: a start that still arrives finds the campaign no longer scheduled and does nothing. */
export async function cancelCampaignStart(c: Pick<Config, 'QSTASH_URL' | 'QSTASH_TOKEN'>, messageId: string): Promise<void> {
  if (!c.QSTASH_TOKEN) return
  await client(c)
    .messages.delete(messageId)
    .catch((err) => log.warn({ err, messageId }, 'could not delete the QStash message of a cancelled campaign'))
}
