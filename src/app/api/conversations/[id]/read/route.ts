import { after } from 'next/server'
import { markConversationRead } from '@/core/inbox/mark-conversation-read'
import { tenantRoute } from '@/server/http/route'
import { sendReadReceipt } from '@/server/whatsapp/send-read-receipt'

export const POST = tenantRoute({}, async ({ tx, tenant, params }) => {
  const latest = await markConversationRead(tx, tenant.id, String(params.id))
  if (latest) after(() => sendReadReceipt(latest.phoneNumberId, latest.wamid))
  return { ok: true }
})
