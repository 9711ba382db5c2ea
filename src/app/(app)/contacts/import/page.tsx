import { ContactImport } from '@/ui/contacts/contact-import'

export const metadata = { title: 'Import contacts' }

export default async function ContactImportPage({ searchParams }: { searchParams: Promise<{ id?: string | string[] }> }) {
  const { id } = await searchParams
  return <ContactImport importId={typeof id === 'string' ? id : undefined} />
}
