import { NumbersSettings } from '@/ui/settings/numbers-settings'

export const metadata = { title: 'WhatsApp numbers' }

export default function NumbersPage() {
  return <NumbersSettings />
}
