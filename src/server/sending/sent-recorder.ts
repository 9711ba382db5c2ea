// Records accepted sends in batches: at high MPS one statement for many messages (and one ack per
// queue) instead of a transaction per message. A batch is flushed every `intervalMs` or at `maxBatch` items;
// each caller's promise settles when its row is written. A crash loses at most one unflushed batch,
// whose jobs are sent again after the visibility timeout — the bounded duplicates the engine accepts.
import { applyParkedStatuses } from '@/core/inbox/apply-message-status'
import type { ClaimedJob, JobQueue, QueueName } from '@/core/sending/job-queue'
import { groupBy } from '@/core/util/group-by'
import type { Db } from '@/server/db/create-db'
import { retryWrite } from './retry-write'

interface Pending {
  queue: QueueName
  messageId: string
  wamid: string
  job: ClaimedJob<unknown>
  resolve: () => void
  reject: (error: unknown) => void
}

export function createSentRecorder(deps: { db: Db; queue: JobQueue }, options = { intervalMs: 20, maxBatch: 250 }) {
  let buffer: Pending[] = []
  let timer: NodeJS.Timeout | undefined
  const flushing = new Set<Promise<void>>()

  async function write(batch: Pending[]) {
    const ids = batch.map((p) => p.messageId)
    const wamids = batch.map((p) => p.wamid)
    await deps.db.sql`
      update public.messages m set wamid = v.wamid, status = 'sent', sent_at = coalesce(m.sent_at, now())
      from (select unnest(${ids}::uuid[]) as id, unnest(${wamids}::text[]) as wamid) v
      where m.id = v.id and m.status in ('pending', 'queued')`
    // Statuses Meta posted before its answer reached us wait in pending_statuses: rare, so look first.
    const [parked] = await deps.db.sql`select 1 from public.pending_statuses where wamid = any(${wamids}::text[]) limit 1`
    if (parked) await deps.db.withService((tx) => applyParkedStatuses(tx, wamids))
    await Promise.all([...groupBy(batch, (p) => p.queue)].map(([queue, items]) => deps.queue.ackMany(queue, items.map((p) => p.job))))
  }

  function flush() {
    clearTimeout(timer)
    timer = undefined
    const batch = buffer
    buffer = []
    if (!batch.length) return
    const done = retryWrite(() => write(batch)).then(
      () => batch.forEach((p) => p.resolve()),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    )
    flushing.add(done)
    void done.finally(() => flushing.delete(done))
  }

  return {
    record(queue: QueueName, messageId: string, wamid: string, job: ClaimedJob<unknown>): Promise<void> {
      return new Promise((resolve, reject) => {
        buffer.push({ queue, messageId, wamid, job, resolve, reject })
        if (buffer.length >= options.maxBatch) flush()
        else timer ??= setTimeout(flush, options.intervalMs)
      })
    },
    /** Writes everything buffered; resolves when all batches are written. */
    async drain() {
      flush()
      await Promise.allSettled([...flushing])
    },
  }
}
