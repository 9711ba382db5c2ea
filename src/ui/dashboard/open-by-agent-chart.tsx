'use client'
// Open conversations per agent as a horizontal bar chart, with the same figures as a table for screen
// readers and for anyone who prefers numbers (the chart itself is hidden from assistive tech).
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { DashboardResponse } from './dashboard-api'

type Row = DashboardResponse['openByAgent'][number]

export function OpenByAgentChart({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No open conversations.</p>
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
      <div aria-hidden className="min-w-0" style={{ height: Math.max(160, rows.length * 40 + 40) }}>
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16, top: 8, bottom: 8 }}>
            <CartesianGrid horizontal={false} stroke="#e2e8f0" />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 12 }} />
            <Tooltip cursor={{ fill: '#ecfdf5' }} />
            <Bar dataKey="open" name="Open conversations" fill="#059669" radius={[0, 4, 4, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="w-full self-start text-left text-sm">
        <caption className="sr-only">Open conversations per agent</caption>
        <thead className="text-slate-600">
          <tr>
            <th scope="col" className="py-1">Agent</th>
            <th scope="col" className="py-1 text-right">Open</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.assigneeId ?? 'unassigned'}>
              <th scope="row" className={`py-1 font-normal ${r.assigneeId ? '' : 'italic text-slate-500'}`}>
                {r.name}
              </th>
              <td className="py-1 text-right tabular-nums">{r.open}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
