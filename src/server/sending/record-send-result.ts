// Writes a failed send onto its message: Meta's classified error in words an agent understands.
// (Accepted sends are recorded in batches by sent-recorder.)
import type { GraphErrorInfo } from '@/core/whatsapp/graph-errors'
import type { Db, Sql, Tx } from '@/server/db/create-db'

export async function recordFailed(db: Db, target: { messageId: string; numberId: string }, error: GraphErrorInfo) {
  await db.withService(async (tx) => {
    await tx`
      update public.messages set status = 'failed', failed_at = now(), error_code = ${error.code},
        error_title = ${error.title}, error_details = ${error.agentMessage}
      where id = ${target.messageId} and status in ('pending', 'queued')`
    if (error.kind === 'auth') await flagNumber(tx, target.numberId, error)
  })
}

/** A rejected token or permission fails every send on the number: an admin must reconnect it. */
export async function flagNumber(sql: Sql | Tx, numberId: string, error: GraphErrorInfo) {
  await sql`
    update public.whatsapp_numbers set status = 'needs_attention',
      last_error = ${sql.json({ code: error.code, title: error.title, at: new Date().toISOString() })}
    where id = ${numberId} and status <> 'needs_attention'`
}
