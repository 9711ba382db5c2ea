import type { ReactNode } from 'react'
import { requirePageSession } from '@/server/http/page-session'
import { AppShell } from '@/ui/components/app-shell'

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  await requirePageSession('/inbox')
  return <AppShell>{children}</AppShell>
}
