import { ContactPage } from '@/ui/contacts/contact-page'

export const metadata = { title: 'Contact' }

export default async function ContactDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return <ContactPage id={id} />
}
