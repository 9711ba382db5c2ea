'use client'
// The send backlog (pending + delayed sends) over the last minutes, with time and count axes. The chart
// is hidden from assistive tech; the caption carries the figures it shows.
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

export interface BacklogSample {
  at: number
  backlog: number
}

const clock = (at: number) => new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })

export function BacklogChart({ samples, spanSeconds }: { samples: BacklogSample[]; spanSeconds: number }) {
  const peak = Math.max(0, ...samples.map((s) => s.backlog))
  const now = samples.at(-1)?.backlog ?? 0
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-medium">
        Send backlog, last {spanSeconds} s{' '}
        <span className="font-normal text-slate-500">
          {samples.length === 0 ? '(waiting for the first reading)' : peak === 0 ? '(empty: every send went out on time)' : `(now ${now.toLocaleString()}, peak ${peak.toLocaleString()})`}
        </span>
      </figcaption>
      <div aria-hidden className="h-40 min-w-0">
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <AreaChart data={samples} margin={{ left: 0, right: 12, top: 8, bottom: 0 }}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="at" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={clock} tick={{ fontSize: 12 }} minTickGap={32} />
            <YAxis allowDecimals={false} domain={[0, (max: number) => Math.max(1, max)]} tick={{ fontSize: 12 }} width={48} />
            <Tooltip labelFormatter={(at) => clock(Number(at))} formatter={(value) => [Number(value).toLocaleString(), 'Backlog']} />
            <Area type="monotone" dataKey="backlog" stroke="#059669" fill="#d1fae5" strokeWidth={1.5} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}
