import { notFound } from 'next/navigation'
import { isPlatformAdmin } from '@/core/auth/claims'
import { requirePageSession } from '@/server/http/page-session'
import { AllTenants } from '@/ui/admin/all-tenants'

export const metadata = { title: 'All tenants' }

export default async function AdminTenantsPage() {
  if (!isPlatformAdmin(await requirePageSession('/admin/tenants'))) notFound()
  return <AllTenants />
}
