'use client'
// One campaign as it sends: status with why it is paused or held back, the controls its status allows,
// live progress, the funnel and its timeline, failures by error code and the recipients. Polls every
// second while scheduled, running or paused, every ten seconds otherwise.
import { Clock, PauseCircle } from 'lucide-react'
import Link from 'next/link'
import { useEffect, useRef, useState } from 'react'
import { atLeast } from '@/core/tenancy/roles'
import { useActiveRole } from '@/ui/api/use-session'
import { dateTimeLabel } from '@/ui/components/date-time'
import { LIVE_STATUSES, settledOf } from './campaign-format'
import { CampaignControls } from './campaign-controls'
import { FailureTable, FunnelBars, SkippedReasons } from './campaign-funnel'
import { CampaignStatusBadge } from './campaign-status-badge'
import { ALL_RECIPIENTS, type CampaignDetail, type RecipientFilter } from './campaigns-api'
import { FunnelTimelineChart } from './funnel-timeline-chart'
import { numberLabel } from './number-label'
import { ProgressBar } from './progress-bar'
import { RecipientTable } from './recipient-table'
import { useCampaign, useCampaignFollowsMessages, useCampaignFunnel } from './use-campaigns'
import { zoneLabel } from './zoned-time'
import { useNumbers } from '@/ui/api/numbers'

const card = 'space-y-3 rounded-xl border border-slate-200 bg-white p-4'

export function CampaignPage({ id }: { id: string }) {
  const campaign = useCampaign(id, { poll: true })
  if (campaign.isPending) return <p className="text-sm text-slate-500">Loading the campaign…</p>
  if (campaign.isError)
    return (
      <section className="space-y-2">
        <h1 className="text-2xl font-semibold">Campaign</h1>
        <p role="alert" className="text-sm text-red-600">
          {campaign.error.message}
        </p>
      </section>
    )
  return <CampaignView campaign={campaign.data} />
}

function CampaignView({ campaign: c }: { campaign: CampaignDetail }) {
  const role = useActiveRole()
  const live = LIVE_STATUSES.has(c.status)
  const funnelQuery = useCampaignFunnel(c.id, live)
  useCampaignFollowsMessages(c.id)
  // A status change (say, to completed) ends the fast polling: fetch the funnel that goes with it now.
  const { refetch: refetchFunnel } = funnelQuery
  useEffect(() => void refetchFunnel(), [c.status, refetchFunnel])
  const numbers = useNumbers()
  const [filter, setFilter] = useState<RecipientFilter>(ALL_RECIPIENTS)
  const recipientsRef = useRef<HTMLElement>(null)
  // The funnel endpoint is the fresher source; the campaign's own copy fills in until it answers.
  const funnel = funnelQuery.data?.funnel ?? c.funnel
  const total = c.total || funnel.total
  const done = settledOf(funnel)
  const number = numbers.data?.find((n) => n.id === c.numberId)

  return (
    <section aria-labelledby="campaign-title" className="mx-auto max-w-6xl space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <p className="text-sm">
            <Link href="/campaigns" className="text-brand-700 hover:underline">
              Campaigns
            </Link>
          </p>
          <h1 id="campaign-title" className="flex flex-wrap items-center gap-2 text-2xl font-semibold">
            <span className="break-all">{c.name}</span>
            <CampaignStatusBadge status={c.status} testId="campaign-status" />
          </h1>
          <p className="text-sm text-slate-600">
            {[c.templateName && `${c.templateName}${c.templateLanguage ? ` (${c.templateLanguage})` : ''}`, number && numberLabel(number)].filter(Boolean).join(' · ')}
          </p>
          <p className="text-sm text-slate-500">
            {c.status === 'scheduled' && c.scheduledAt && `Scheduled for ${dateTimeLabel(c.scheduledAt)} (${zoneLabel(c.timezone, Date.parse(c.scheduledAt))}). `}
            {c.startedAt && `Started ${dateTimeLabel(c.startedAt)}. `}
            {c.completedAt && `Finished ${dateTimeLabel(c.completedAt)}.`}
          </p>
        </div>
        {role !== undefined && atLeast(role, 'supervisor') && <CampaignControls campaign={c} failed={funnel.failed} sentOrFailed={funnel.sent + funnel.failed} />}
      </div>

      {c.status === 'paused' && c.pausedReason && (
        <p role="status" data-testid="paused-reason" className="flex items-start gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-800">
          <PauseCircle aria-hidden className="mt-0.5 h-4 w-4 shrink-0" /> Paused: {c.pausedReason}
        </p>
      )}
      {c.status === 'running' && c.waiting && (
        <p role="status" data-testid="waiting-reason" className="flex items-start gap-2 rounded-md bg-sky-50 p-3 text-sm text-sky-800">
          <Clock aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
          {c.waiting.message} ({c.waiting.count.toLocaleString()} waiting)
        </p>
      )}

      <section aria-labelledby="progress-title" className={card}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="progress-title" className="font-semibold">
            Progress
          </h2>
          <p className="text-sm tabular-nums text-slate-600" data-testid="progress-counts">
            {done.toLocaleString()} of {total.toLocaleString()} done: {funnel.sent.toLocaleString()} sent, {funnel.failed.toLocaleString()} failed, {funnel.skipped.toLocaleString()} skipped,{' '}
            {funnel.waiting.toLocaleString()} to go
          </p>
        </div>
        <ProgressBar label="Campaign progress" value={done} max={total} testId="campaign-progress" className="h-3" />
      </section>

      <div className="grid gap-5 lg:grid-cols-2">
        <section aria-labelledby="funnel-title" className={card}>
          <h2 id="funnel-title" className="font-semibold">
            Funnel
          </h2>
          <FunnelBars funnel={funnel} />
          {funnelQuery.isError && (
            <p role="alert" className="text-sm text-red-600">
              {funnelQuery.error.message}
            </p>
          )}
        </section>
        <section aria-labelledby="timeline-title" className={card}>
          <h2 id="timeline-title" className="font-semibold">
            Over time
          </h2>
          {funnelQuery.data ? <FunnelTimelineChart timeline={funnelQuery.data.timeline} bucketSeconds={funnelQuery.data.bucketSeconds} /> : <p className="text-sm text-slate-500">Fetching the timeline…</p>}
        </section>
      </div>

      {funnelQuery.data && (funnelQuery.data.failures.length > 0 || funnelQuery.data.skipped.length > 0) && (
        <div className="grid gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <section aria-labelledby="failures-title" className={card}>
            <h2 id="failures-title" className="font-semibold">
              Failures by error
            </h2>
            <FailureTable
              failures={funnelQuery.data.failures}
              onShow={(code) => {
                setFilter({ status: 'failed', errorCode: code, q: '' })
                recipientsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' })
              }}
            />
          </section>
          {funnelQuery.data.skipped.length > 0 && (
            <section aria-labelledby="skipped-title" className={card}>
              <h2 id="skipped-title" className="font-semibold">
                Skipped
              </h2>
              <SkippedReasons skipped={funnelQuery.data.skipped} />
            </section>
          )}
        </div>
      )}

      <section ref={recipientsRef} aria-labelledby="recipients-title" className="space-y-3">
        <h2 id="recipients-title" className="font-semibold">
          Recipients
        </h2>
        <RecipientTable campaignId={c.id} filter={filter} onFilter={setFilter} live={live} />
      </section>
    </section>
  )
}
