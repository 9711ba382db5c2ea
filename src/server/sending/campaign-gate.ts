// Lets the send engine stop a campaign's messages within moments of a pause or cancel: the status of
// every campaign with messages in flight is re-read every `refreshMs`, and a message whose campaign is
// no longer running is taken back instead of sent (one small query for all of them, not one per send).
import type { Sql } from 'postgres'
import { log } from '@/server/log'

const FORGET_AFTER_MS = 60_000

export function createCampaignGate(sql: Sql, refreshMs = 250) {
  const watched = new Map<string, { running: boolean; seenAt: number }>()
  let timer: NodeJS.Timeout | undefined

  async function refresh() {
    const now = Date.now()
    for (const [id, w] of watched) if (now - w.seenAt > FORGET_AFTER_MS) watched.delete(id)
    if (!watched.size) return
    const rows = await sql<{ id: string; status: string }[]>`select id, status from public.campaigns where id = any(${[...watched.keys()]}::uuid[])`
    const status = new Map(rows.map((r) => [r.id, r.status]))
    for (const [id, w] of watched) w.running = status.get(id) === 'running'
  }

  return {
    /** Watches a campaign whose message is about to wait for its send slot, with the status just loaded. */
    watch(campaignId: string, status: string | null) {
      const w = watched.get(campaignId)
      if (w) w.seenAt = Date.now()
      else watched.set(campaignId, { running: status === 'running', seenAt: Date.now() })
    },
    halted: (campaignId: string) => watched.get(campaignId)?.running === false,
    start() {
      timer ??= setInterval(() => void refresh().catch((err) => log.warn({ err }, 'refreshing campaign statuses failed')), refreshMs)
    },
    stop() {
      clearInterval(timer)
      timer = undefined
    },
  }
}
