// Ops API: queue depths and per-number pacing (GET), and queue actions (POST). Ops token or platform admin.
import { z } from 'zod'
import { QUEUE_FAMILIES } from '@/core/sending/job-queue'
import { db } from '@/server/db/db'
import { opsRoute } from '@/server/http/route'
import { sendEngine } from '@/server/sending/engine'
import { queueAction } from '@/server/sending/queue-action'
import { queueStats } from '@/server/sending/queue-stats'

const statsQuery = z.object({ instanceId: z.string().min(1).max(64).optional() })

export const GET = opsRoute({ input: statsQuery, inputError: 'bad_request' }, async ({ input }) => queueStats(sendEngine(), db(), input))

const actionInput = z.object({
  action: z.enum(['retry_dlq', 'clear', 'recover_stuck']),
  queue: z.enum(QUEUE_FAMILIES),
  jobId: z.string().min(1).max(200).optional(),
})

export const POST = opsRoute({ input: actionInput, inputError: 'bad_request', maxBodyBytes: 4_096 }, async ({ input }) =>
  queueAction(sendEngine().queue, db(), input),
)
