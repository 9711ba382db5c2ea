'use client'
// The workspace at a glance: each number's health and limits, today's message counts and who holds
// how many open conversations. Refreshes every 30 seconds while open.
import { useQuery } from '@tanstack/react-query'
import { ArrowDownLeft, ArrowUpRight, TriangleAlert } from 'lucide-react'
import type { ReactNode } from 'react'
import { api } from '@/ui/api/api-client'
import { useSession } from '@/ui/api/use-session'
import { QUALITY_DOT, tierLabel } from '@/ui/api/numbers'
import { dashboardKeys, type DashboardNumber, type DashboardResponse } from './dashboard-api'
import { OpenByAgentChart } from './open-by-agent-chart'

export function DashboardPage() {
  const { data: session } = useSession()
  const tenantId = session?.activeTenantId ?? null
  const dashboard = useQuery({
    queryKey: dashboardKeys.all(tenantId),
    queryFn: () => api<DashboardResponse>('/api/dashboard'),
    enabled: tenantId !== null,
    refetchInterval: 30_000,
  })
  const data = dashboard.data

  return (
    <section aria-labelledby="dashboard-title" className="mx-auto max-w-6xl space-y-8">
      <h1 id="dashboard-title" className="text-2xl font-semibold">
        Dashboard
      </h1>
      {dashboard.isPending && <p className="text-sm text-slate-500">Loading the dashboard…</p>}
      {dashboard.error && (
        <p role="alert" className="text-sm text-red-600">
          {dashboard.error.message}
        </p>
      )}
      {data && (
        <>
          <section aria-labelledby="today-title" className="space-y-3">
            <h2 id="today-title" className="text-lg font-semibold">
              Today
            </h2>
            <dl className="grid gap-4 sm:grid-cols-3">
              <Counter label="Received" value={data.today.inbound} icon={<ArrowDownLeft aria-hidden className="h-5 w-5 text-sky-600" />} />
              <Counter label="Sent" value={data.today.outbound} icon={<ArrowUpRight aria-hidden className="h-5 w-5 text-brand-600" />} />
              <Counter label="Failed" value={data.today.failed} icon={<TriangleAlert aria-hidden className="h-5 w-5 text-red-600" />} />
            </dl>
          </section>
          <section aria-labelledby="numbers-title" className="space-y-3">
            <h2 id="numbers-title" className="text-lg font-semibold">
              Numbers
            </h2>
            {data.numbers.length === 0 ? (
              <p className="text-sm text-slate-500">No WhatsApp number connected yet.</p>
            ) : (
              <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {data.numbers.map((n) => (
                  <NumberCard key={n.id} number={n} />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="open-title" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
            <h2 id="open-title" className="text-lg font-semibold">
              Open conversations by agent
            </h2>
            <OpenByAgentChart rows={data.openByAgent} />
          </section>
        </>
      )}
    </section>
  )
}

function Counter({ label, value, icon }: { label: string; value: number; icon: ReactNode }) {
  return (
    <div className="flex items-center justify-between rounded-xl border border-slate-200 bg-white p-4">
      <div>
        <dt className="text-sm text-slate-500">{label}</dt>
        <dd className="text-3xl font-semibold tabular-nums">{value.toLocaleString()}</dd>
      </div>
      {icon}
    </div>
  )
}

function NumberCard({ number: n }: { number: DashboardNumber }) {
  const quality = n.qualityRating?.toUpperCase() ?? 'UNKNOWN'
  return (
    <li className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <div>
        <p className="font-semibold">{n.displayPhone ?? 'Unnamed number'}</p>
        <p className="text-sm text-slate-500">{n.verifiedName ?? 'No verified name'}</p>
      </div>
      <dl className="grid grid-cols-2 gap-2 text-sm">
        <dt className="text-slate-500">Status</dt>
        <dd className="capitalize">{n.status.toLowerCase()}</dd>
        <dt className="text-slate-500">Quality</dt>
        <dd className="flex items-center gap-1.5 capitalize">
          <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${QUALITY_DOT[quality] ?? 'bg-slate-300'}`} />
          {quality.toLowerCase()}
        </dd>
        <dt className="text-slate-500">Messaging limit</dt>
        <dd>{tierLabel(n.messagingLimitTier)}</dd>
        <dt className="text-slate-500">Throughput</dt>
        <dd>{n.throughputMps} msg/s</dd>
      </dl>
    </li>
  )
}
