import { ContactList } from '@/ui/contacts/contact-list'

export const metadata = { title: 'Contacts' }

export default function ContactsPage() {
  return <ContactList />
}
