import { TemplatesPage } from '@/ui/templates/templates-page'

export const metadata = { title: 'Templates' }

export default function Templates() {
  return <TemplatesPage />
}
