import { SecuritySettings } from '@/ui/settings/security-settings'

export const metadata = { title: 'Security' }

export default function SecurityPage() {
  return <SecuritySettings />
}
