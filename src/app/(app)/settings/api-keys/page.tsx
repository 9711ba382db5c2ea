import { ApiKeysSettings } from '@/ui/settings/api-keys-settings'

export const metadata = { title: 'API keys' }

export default function ApiKeysPage() {
  return <ApiKeysSettings />
}
