'use client'
// Platform-admin view: every workspace on the platform, read-only.
import { useQuery } from '@tanstack/react-query'
import { api } from '@/ui/api/api-client'
import { queryKeys } from '@/ui/api/query-keys'
import type { AdminTenantsResponse } from '@/ui/api/types'

export function AllTenants() {
  const tenants = useQuery({ queryKey: queryKeys.adminTenants(), queryFn: () => api<AdminTenantsResponse>('/api/admin/tenants') })
  return (
    <section aria-labelledby="tenants-title" className="mx-auto max-w-5xl space-y-4">
      <h1 id="tenants-title" className="text-2xl font-semibold">
        All tenants
      </h1>
      {tenants.error && (
        <p role="alert" className="text-sm text-red-600">
          {tenants.error.message}
        </p>
      )}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Every tenant on the platform</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">Name</th>
              <th scope="col" className="px-4 py-2">Plan</th>
              <th scope="col" className="px-4 py-2">Status</th>
              <th scope="col" className="px-4 py-2">Time zone</th>
              <th scope="col" className="px-4 py-2">Created</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tenants.data?.tenants.map((t) => (
              <tr key={t.id}>
                <td className="px-4 py-2 font-medium">{t.name}</td>
                <td className="px-4 py-2">{t.plan}</td>
                <td className="px-4 py-2">{t.status}</td>
                <td className="px-4 py-2">{t.timezone}</td>
                <td className="px-4 py-2">{new Date(t.createdAt).toLocaleDateString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
