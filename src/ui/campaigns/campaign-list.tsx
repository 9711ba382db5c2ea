'use client'
// Every campaign of the workspace with its status, template and progress, newest first; supervisors and
// above start new ones from here.
import { Megaphone, Plus } from 'lucide-react'
import Link from 'next/link'
import { atLeast } from '@/core/tenancy/roles'
import { useActiveRole } from '@/ui/api/use-session'
import { buttonClass } from '@/ui/components/field'
import { dateTimeLabel } from '@/ui/components/date-time'
import { percent, settledOf } from './campaign-format'
import { CampaignStatusBadge } from './campaign-status-badge'
import type { CampaignSummary } from './campaigns-api'
import { ProgressBar } from './progress-bar'
import { useCampaignList } from './use-campaigns'

export function CampaignList() {
  const role = useActiveRole()
  const canCreate = role !== undefined && atLeast(role, 'supervisor')
  const list = useCampaignList()
  const campaigns = list.data ?? []

  return (
    <section aria-labelledby="campaigns-title" className="mx-auto max-w-6xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="campaigns-title" className="text-2xl font-semibold">
          Campaigns
        </h1>
        {canCreate && (
          <Link href="/campaigns/new" className={buttonClass}>
            <Plus aria-hidden className="h-4 w-4" /> New campaign
          </Link>
        )}
      </div>
      {list.isPending && <p className="text-sm text-slate-500">Loading campaigns…</p>}
      {list.isError && (
        <p role="alert" className="text-sm text-red-600">
          {list.error.message}
        </p>
      )}
      {list.isSuccess && campaigns.length === 0 && (
        <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <Megaphone aria-hidden className="h-8 w-8 text-slate-400" />
          <p className="font-medium">No campaigns yet</p>
          <p className="max-w-md text-sm text-slate-600">
            A campaign sends an approved template to a segment of your contacts, with each contact’s own values, at the pace your number allows.
          </p>
          {!canCreate && role !== undefined && <p className="text-sm text-slate-500">Supervisors, admins and owners can create campaigns.</p>}
        </div>
      )}
      {campaigns.length > 0 && (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <caption className="sr-only">Campaigns</caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="hidden px-3 py-2 md:table-cell">Template</th>
                <th scope="col" className="px-3 py-2">Progress</th>
                <th scope="col" className="px-3 py-2 text-right">Delivered</th>
                <th scope="col" className="px-3 py-2 text-right">Read</th>
                <th scope="col" className="px-3 py-2 text-right">Replied</th>
                <th scope="col" className="hidden px-3 py-2 lg:table-cell">When</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {campaigns.map((c) => (
                <CampaignRow key={c.id} campaign={c} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function CampaignRow({ campaign: c }: { campaign: CampaignSummary }) {
  const done = settledOf(c.funnel)
  const total = c.total || c.funnel.total
  const when = c.startedAt ?? c.scheduledAt
  return (
    <tr className="hover:bg-slate-50">
      <th scope="row" className="px-3 py-2 font-medium">
        <Link href={c.status === 'draft' ? `/campaigns/${c.id}/edit` : `/campaigns/${c.id}`} className="text-brand-700 hover:underline">
          {c.name}
        </Link>
      </th>
      <td className="px-3 py-2">
        <CampaignStatusBadge status={c.status} />
      </td>
      <td className="hidden px-3 py-2 md:table-cell">{c.templateName ?? <span className="text-slate-400">None yet</span>}</td>
      <td className="px-3 py-2">
        <div className="w-32 space-y-1">
          <ProgressBar label={`Progress of ${c.name}`} value={done} max={total} />
          <p className="text-xs tabular-nums text-slate-500">
            {c.funnel.sent.toLocaleString()} / {total.toLocaleString()} sent
          </p>
        </div>
      </td>
      {/* Shares of what was sent: a campaign still sending is judged on what it has sent so far. */}
      <td className="px-3 py-2 text-right tabular-nums">{percent(c.funnel.delivered, c.funnel.sent)}</td>
      <td className="px-3 py-2 text-right tabular-nums">{percent(c.funnel.read, c.funnel.sent)}</td>
      <td className="px-3 py-2 text-right tabular-nums">{percent(c.funnel.replied, c.funnel.sent)}</td>
      <td className="hidden whitespace-nowrap px-3 py-2 text-slate-600 lg:table-cell">
        {when ? (
          <>
            {c.startedAt ? 'Started ' : 'Scheduled '}
            <time dateTime={when}>{dateTimeLabel(when)}</time>
          </>
        ) : (
          '—'
        )}
      </td>
    </tr>
  )
}
