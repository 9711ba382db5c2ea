'use client'
// The funnel over time (cumulative counts per bucket) as a line chart; the chart is hidden from
// assistive tech, which reads the latest counts in the funnel bars beside it instead.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { CampaignFunnelView } from './campaigns-api'

const SERIES = [
  { key: 'sent', name: 'Sent', color: '#0ea5e9' },
  { key: 'delivered', name: 'Delivered', color: '#10b981' },
  { key: 'read', name: 'Read', color: '#047857' },
  { key: 'replied', name: 'Replied', color: '#7c3aed' },
  { key: 'failed', name: 'Failed', color: '#ef4444' },
] as const

export function FunnelTimelineChart({ timeline, bucketSeconds }: { timeline: CampaignFunnelView['timeline']; bucketSeconds: number }) {
  if (timeline.length === 0) return <p className="text-sm text-slate-500">Nothing sent yet.</p>
  // Buckets under a day read as clock times; longer campaigns need the date too.
  const spansDays = Date.parse(timeline.at(-1)!.at) - Date.parse(timeline[0]!.at) > 86_400_000
  const label = (at: string) =>
    new Date(at).toLocaleString(undefined, spansDays ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit', ...(bucketSeconds < 60 ? { second: '2-digit' } : {}) })
  return (
    <div aria-hidden className="h-64 min-w-0">
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <LineChart data={timeline} margin={{ left: 0, right: 12, top: 8, bottom: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="at" tickFormatter={label} tick={{ fontSize: 12 }} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip labelFormatter={(at) => label(String(at))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((s) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={s.name} stroke={s.color} dot={false} strokeWidth={2} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}
