import { MessagingSettings } from '@/ui/settings/messaging-settings'

export const metadata = { title: 'Messaging' }

export default function MessagingPage() {
  return <MessagingSettings />
}
