import { redirect } from 'next/navigation'
import { hasPageSession } from '@/server/http/page-session'

export default async function Home() {
  redirect((await hasPageSession()) ? '/dashboard' : '/login')
}
