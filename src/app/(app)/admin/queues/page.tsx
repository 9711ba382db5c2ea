import { notFound } from 'next/navigation'
import { isPlatformAdmin } from '@/core/auth/claims'
import { requirePageSession } from '@/server/http/page-session'
import { QueueMonitor } from '@/ui/admin/queue-monitor'

export const metadata = { title: 'Queues' }

export default async function AdminQueuesPage() {
  if (!isPlatformAdmin(await requirePageSession('/admin/queues'))) notFound()
  return <QueueMonitor />
}
