'use client'
// Ops view of the send engine for platform admins: live queue depths with a short history chart, and
// per number its send rate against its MPS, breaker and messaging-limit use. Refreshes every 2 s.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { toast } from 'sonner'
import { api } from '@/ui/api/api-client'
import { queryKeys } from '@/ui/api/query-keys'
import type { NumberQueueStats, QueueDepth, QueueStatsResponse } from '@/ui/api/types'
import { BacklogChart, type BacklogSample } from './backlog-chart'

const REFRESH_MS = 2_000
const HISTORY = 60

type Family = 'sends' | 'webhooks'
type Action = 'retry_dlq' | 'recover_stuck' | 'clear'

export function QueueMonitor() {
  const client = useQueryClient()
  // The last two minutes of backlog (pending + delayed sends), for the chart: one sample per refresh.
  const [history, setHistory] = useState<BacklogSample[]>([])
  const stats = useQuery({
    queryKey: queryKeys.queueStats(),
    queryFn: async () => {
      const data = await api<QueueStatsResponse>('/api/whatsapp/queue/stats')
      setHistory((h) => [...h, { at: Date.now(), backlog: data.queues.sends.pending + data.queues.sends.delayed }].slice(-HISTORY))
      return data
    },
    refetchInterval: REFRESH_MS,
  })

  const act = useMutation({
    mutationFn: (input: { action: Action; queue: Family }) =>
      api<{ affected: number }>('/api/whatsapp/queue/stats', { method: 'POST', body: input }),
    onSuccess: (result, input) => {
      toast.success(`${input.action.replace('_', ' ')} on ${input.queue}: ${result.affected} job${result.affected === 1 ? '' : 's'}`)
      void client.invalidateQueries({ queryKey: queryKeys.queueStats() })
    },
    onError: (error) => toast.error(error.message),
  })

  return (
    <section aria-labelledby="queues-title" className="mx-auto max-w-6xl space-y-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="queues-title" className="text-2xl font-semibold">
          Queues
        </h1>
        <p className="text-sm text-slate-500" aria-live="polite">
          {stats.data ? `Store: ${stats.data.driver} · refreshed every ${REFRESH_MS / 1000} s` : 'Loading…'}
        </p>
      </header>
      {stats.error && (
        <p role="alert" className="text-sm text-red-600">
          {stats.error.message}
        </p>
      )}
      {stats.data && (
        <>
          <div className="grid gap-4 md:grid-cols-2">
            {(['sends', 'webhooks'] as const).map((family) => (
              <QueueCard
                key={family}
                family={family}
                depth={stats.data.queues[family]}
                busy={act.isPending}
                onAction={(action) => {
                  if (action === 'clear' && !window.confirm(`Delete every dead ${family} job? This cannot be undone.`)) return
                  act.mutate({ action, queue: family })
                }}
              />
            ))}
          </div>
          <BacklogChart samples={history} spanSeconds={(HISTORY * REFRESH_MS) / 1000} />
          <NumbersTable numbers={stats.data.numbers} />
        </>
      )}
    </section>
  )
}

function QueueCard({ family, depth, busy, onAction }: { family: Family; depth: QueueDepth; busy: boolean; onAction: (a: Action) => void }) {
  const counters: [string, number][] = [
    ['Pending', depth.pending],
    ['Delayed', depth.delayed],
    ['Processing', depth.processing],
    ['Dead', depth.dead],
  ]
  return (
    <article aria-label={`${family} queue`} className="rounded-xl border border-slate-200 bg-white p-4">
      <h2 className="mb-3 font-semibold capitalize">{family}</h2>
      <dl className="grid grid-cols-4 gap-2 text-center">
        {counters.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className={`text-xl font-semibold tabular-nums ${label === 'Dead' && value > 0 ? 'text-red-600' : ''}`}>{value.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-4 flex flex-wrap gap-2 text-sm">
        <button type="button" disabled={busy || depth.dead === 0} onClick={() => onAction('retry_dlq')} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-40">
          Retry dead jobs
        </button>
        <button type="button" disabled={busy} onClick={() => onAction('recover_stuck')} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-40">
          Recover stuck
        </button>
        <button type="button" disabled={busy || depth.dead === 0} onClick={() => onAction('clear')} className="rounded-md border border-red-300 px-3 py-1 text-red-700 hover:bg-red-50 disabled:opacity-40">
          Clear dead jobs
        </button>
      </div>
    </article>
  )
}


const BREAKER_STYLE = { closed: 'bg-emerald-100 text-emerald-800', half_open: 'bg-amber-100 text-amber-800', open: 'bg-red-100 text-red-800' }

function Bar({ value, max, label }: { value: number; max: number; label: string }) {
  const share = max > 0 ? Math.min(1, value / max) : 0
  return (
    <div role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} className="h-2 w-32 rounded bg-slate-100">
      <div className="h-2 rounded bg-brand-600" style={{ width: `${share * 100}%` }} />
    </div>
  )
}

function NumbersTable({ numbers }: { numbers: NumberQueueStats[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Send pacing per WhatsApp number</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2">Number</th>
            <th scope="col" className="px-4 py-2">Rate / MPS</th>
            <th scope="col" className="px-4 py-2">Breaker</th>
            <th scope="col" className="px-4 py-2">Queue</th>
            <th scope="col" className="px-4 py-2">Messaging limit (24 h)</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {numbers.map((n) => (
            <tr key={n.id}>
              <td className="px-4 py-2">
                <div className="font-medium">{n.displayPhoneNumber ?? n.phoneNumberId}</div>
                <div className="text-xs text-slate-500">{n.status}</div>
              </td>
              <td className="px-4 py-2">
                <Bar value={n.currentRate} max={n.mps} label={`${n.phoneNumberId} rate`} />
                <div className="mt-1 text-xs tabular-nums text-slate-600">
                  {n.currentRate.toFixed(1)} / {n.mps} msg/s{n.rateFactor < 1 ? ` · slowed to ${Math.round(n.rateFactor * 100)}%` : ''}
                </div>
              </td>
              <td className="px-4 py-2">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${BREAKER_STYLE[n.breaker.phase]}`}>{n.breaker.phase.replace('_', '-')}</span>
                {n.breaker.failures > 0 && <span className="ml-2 text-xs text-slate-500">{n.breaker.failures} failures</span>}
              </td>
              <td className="px-4 py-2 tabular-nums">
                {n.queue.pending + n.queue.delayed} waiting · {n.queue.processing} sending{n.queue.dead > 0 && <span className="text-red-600"> · {n.queue.dead} dead</span>}
              </td>
              <td className="px-4 py-2">
                {n.messagingLimit.limit === null ? (
                  <span className="text-xs text-slate-600">{n.messagingLimit.usedLast24h.toLocaleString()} · unlimited</span>
                ) : (
                  <>
                    <Bar value={n.messagingLimit.usedLast24h} max={n.messagingLimit.limit} label={`${n.phoneNumberId} messaging limit`} />
                    <div className="mt-1 text-xs tabular-nums text-slate-600">
                      {n.messagingLimit.usedLast24h.toLocaleString()} / {n.messagingLimit.limit.toLocaleString()}
                    </div>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
