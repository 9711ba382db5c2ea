'use client'
// How far the campaign's messages got: one bar per stage with its share of the audience, and why
// messages failed (by Meta's error code) or were skipped.
import type { Funnel } from '@/core/campaigns/campaign-views'
import { percent } from './campaign-format'
import type { CampaignFunnelView } from './campaigns-api'

const STAGES: { key: keyof Funnel; label: string; tone: string }[] = [
  { key: 'queued', label: 'Queued', tone: 'bg-slate-400' },
  { key: 'sent', label: 'Sent', tone: 'bg-sky-500' },
  { key: 'delivered', label: 'Delivered', tone: 'bg-brand-500' },
  { key: 'read', label: 'Read', tone: 'bg-brand-700' },
  { key: 'replied', label: 'Replied', tone: 'bg-violet-600' },
  { key: 'failed', label: 'Failed', tone: 'bg-red-500' },
  { key: 'skipped', label: 'Skipped', tone: 'bg-amber-400' },
]

export function FunnelBars({ funnel }: { funnel: CampaignFunnelView['funnel'] }) {
  return (
    <dl className="space-y-2">
      {STAGES.map(({ key, label, tone }) => {
        const value = funnel[key]
        const width = funnel.total > 0 ? Math.min(100, (value / funnel.total) * 100) : 0
        return (
          <div key={key} className="grid grid-cols-[5.5rem_minmax(0,1fr)_6.5rem] items-center gap-2 text-sm">
            <dt className="text-slate-600">{label}</dt>
            <dd aria-hidden className="h-3 overflow-hidden rounded-full bg-slate-100">
              <div className={`h-full ${tone}`} style={{ width: `${width}%` }} />
            </dd>
            <dd className="text-right tabular-nums">
              <span data-testid={`funnel-${key}`}>{value.toLocaleString()}</span> <span className="text-xs text-slate-500">{percent(value, funnel.total)}</span>
            </dd>
          </div>
        )
      })}
    </dl>
  )
}

export function FailureTable({ failures, onShow }: { failures: CampaignFunnelView['failures']; onShow(code: number | null): void }) {
  if (failures.length === 0) return <p className="text-sm text-slate-500">No failed messages.</p>
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[36rem] text-left text-sm">
        <caption className="sr-only">Failures by error code</caption>
        <thead className="text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-3">Code</th>
            <th scope="col" className="py-1 pr-3">Meta’s title</th>
            <th scope="col" className="py-1 pr-3">What it means</th>
            <th scope="col" className="py-1 pr-3 text-right">Count</th>
            <th scope="col" className="py-1">
              <span className="sr-only">Recipients</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {failures.map((f) => (
            <tr key={f.code ?? 'none'} data-testid={`failure-${f.code ?? 'none'}`}>
              <td className="py-1.5 pr-3 font-mono">{f.code ?? '—'}</td>
              <td className="py-1.5 pr-3">{f.title ?? '—'}</td>
              <td className="py-1.5 pr-3 text-slate-600">{f.explanation ?? '—'}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums">{f.count.toLocaleString()}</td>
              <td className="py-1.5">
                <button type="button" onClick={() => onShow(f.code)} className="whitespace-nowrap text-brand-700 underline">
                  Show recipients{f.code !== null ? ` with error ${f.code}` : ' without a code'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function SkippedReasons({ skipped }: { skipped: CampaignFunnelView['skipped'] }) {
  if (skipped.length === 0) return null
  return (
    <ul className="space-y-1 text-sm">
      {skipped.map((s) => (
        <li key={s.reason} className="flex justify-between gap-3">
          <span>{s.reason}</span>
          <span className="tabular-nums">{s.count.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  )
}
