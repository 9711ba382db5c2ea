import { InboxShell } from '@/ui/inbox/inbox-shell'

export const metadata = { title: 'Inbox' }

export default function InboxPage() {
  return <InboxShell />
}
