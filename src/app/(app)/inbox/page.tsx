import { Suspense } from 'react'
import { InboxShell } from '@/ui/inbox/inbox-shell'

export const metadata = { title: 'Inbox' }

// The shell reads the open conversation from the URL, which needs a Suspense boundary.
export default function InboxPage() {
  return (
    <Suspense>
      <InboxShell />
    </Suspense>
  )
}
