'use client'
// Step 4: everything the campaign will do in one place (who, what, when, how long, what it costs) and
// what still blocks it; launching or scheduling flushes the last edits first.
import type { UseQueryResult } from '@tanstack/react-query'
import { Rocket, Trash2 } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { atLeast } from '@/core/tenancy/roles'
import { useActiveRole } from '@/ui/api/use-session'
import { useApprovedTemplates } from '@/ui/inbox/use-inbox-queries'
import { FormProblems, primaryButton } from '@/ui/inbox/modal'
import { AudienceCount } from './audience-count'
import { describeAudience, formatDuration, formatMoney } from './campaign-format'
import type { CampaignDetail, CampaignReview } from './campaigns-api'
import { numberLabel } from './number-label'
import type { ScheduleChoice } from './schedule-step'
import { useDeleteCampaign, useLaunchCampaign } from './use-campaigns'
import type { DraftForm, SaveState } from './use-draft-autosave'
import { zonedInputToIso, zoneLabel } from './zoned-time'
import { useNumbers } from '@/ui/api/numbers'

interface Props {
  campaign: CampaignDetail
  draft: DraftForm
  review: UseQueryResult<CampaignReview>
  schedule: ScheduleChoice
  save(): Promise<boolean>
  saveState: SaveState
}

export function ReviewStep({ campaign, draft, review, schedule, save, saveState }: Props) {
  const router = useRouter()
  const role = useActiveRole()
  const canLaunch = role !== undefined && atLeast(role, 'supervisor')
  const numbers = useNumbers()
  const templates = useApprovedTemplates()
  const launch = useLaunchCampaign(campaign.id)
  const remove = useDeleteCampaign(campaign.id)
  const [launchError, setLaunchError] = useState<string[]>([])

  const number = numbers.data?.find((n) => n.id === draft.numberId)
  const template = templates.data?.find((t) => t.id === draft.templateId)
  const scheduledAt = schedule.mode === 'later' ? zonedInputToIso(schedule.at, campaign.timezone) : null
  const data = review.data
  const problems = [
    ...(data?.problems ?? []),
    ...(schedule.mode === 'later' && !scheduledAt ? ['Pick the date and time to send at (step 3), or choose to send now.'] : []),
    ...(saveState.kind === 'invalid' ? saveState.problems : []),
  ]
  const blocked = !canLaunch || !data || problems.length > 0 || launch.isPending

  const go = async () => {
    setLaunchError([])
    if (!(await save())) return setLaunchError(['Your last changes could not be saved; fix them before launching.'])
    launch.mutate(scheduledAt ?? undefined, {
      onSuccess: () => router.push(`/campaigns/${campaign.id}`),
      onError: (error) => setLaunchError([error.message]),
    })
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="space-y-5">
        <section aria-labelledby="review-summary" className="rounded-xl border border-slate-200 bg-white p-4">
          <h2 id="review-summary" className="mb-3 text-sm font-semibold">
            Summary
          </h2>
          <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-slate-500">Name</dt>
            <dd className="break-words">{draft.name}</dd>
            <dt className="text-slate-500">Send from</dt>
            <dd>{number ? numberLabel(number) : 'Not chosen'}</dd>
            <dt className="text-slate-500">Template</dt>
            <dd>{template ? `${template.name} (${template.language}) · ${template.category.toLowerCase()}` : 'Not chosen'}</dd>
            <dt className="text-slate-500">Audience</dt>
            <dd>{describeAudience(draft.audience, campaign.listSize)}</dd>
            <dt className="text-slate-500">When</dt>
            <dd>
              {scheduledAt ? (
                <>
                  {schedule.at.replace('T', ' ')} {zoneLabel(campaign.timezone, Date.parse(scheduledAt))}
                </>
              ) : schedule.mode === 'later' ? (
                'No time picked yet'
              ) : (
                'As soon as it is launched'
              )}
            </dd>
            <dt className="text-slate-500">Quiet hours</dt>
            <dd>{draft.quietHours ? `${draft.quietHours.start}–${draft.quietHours.end}, recipient’s time` : 'None'}</dd>
            <dt className="text-slate-500">Replies count for</dt>
            <dd>{draft.replyWindowHours} hours</dd>
            <dt className="text-slate-500">Automatic pause</dt>
            <dd>{draft.minDeliveryRate === null ? 'Off' : `Below ${Math.round(draft.minDeliveryRate * 100)}% delivered`}</dd>
          </dl>
        </section>

        {data?.estimate && <Estimate estimate={data.estimate} />}

        {problems.length > 0 && (
          <section aria-labelledby="review-problems" className="space-y-2">
            <h2 id="review-problems" className="text-sm font-semibold text-red-700">
              Before it can go out
            </h2>
            <ul data-testid="launch-problems" className="list-disc space-y-1 rounded-md bg-red-50 p-3 pl-7 text-sm text-red-700">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </section>
        )}
        <FormProblems problems={launchError} />

        <div className="flex flex-wrap items-center justify-between gap-3">
          {canLaunch && (
            <button
              type="button"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete the draft “${draft.name}”?`)) remove.mutate(undefined, { onSuccess: () => router.push('/campaigns'), onError: (e) => setLaunchError([e.message]) })
              }}
              className="inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60"
            >
              <Trash2 aria-hidden className="h-4 w-4" /> Delete draft
            </button>
          )}
          {canLaunch ? (
            <button type="button" className={`${primaryButton} inline-flex items-center gap-2`} disabled={blocked} onClick={() => void go()}>
              <Rocket aria-hidden className="h-4 w-4" />
              {launch.isPending ? 'Launching…' : schedule.mode === 'later' ? 'Schedule campaign' : 'Launch campaign'}
            </button>
          ) : (
            <p className="text-sm text-slate-500">Supervisors, admins and owners can launch campaigns.</p>
          )}
        </div>
      </div>
      <div className="lg:sticky lg:top-4 lg:self-start">
        <AudienceCount review={review} />
      </div>
    </div>
  )
}

function Estimate({ estimate: e }: { estimate: NonNullable<CampaignReview['estimate']> }) {
  return (
    <section aria-labelledby="review-estimate" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <h2 id="review-estimate" className="text-sm font-semibold">
        Estimate
      </h2>
      <dl className="grid gap-3 sm:grid-cols-3">
        <div className="rounded-lg bg-slate-50 p-2">
          <dt className="text-xs text-slate-600">Sending time</dt>
          <dd className="font-semibold" data-testid="estimate-duration">
            {formatDuration(e.seconds)}
          </dd>
          <dd className="text-xs text-slate-500">at {e.mps} messages a second</dd>
        </div>
        <div className="rounded-lg bg-slate-50 p-2">
          <dt className="text-xs text-slate-600">Spread over</dt>
          <dd className="font-semibold" data-testid="estimate-days">
            {e.days <= 1 ? 'One day' : `${e.days} days`}
          </dd>
          <dd className="text-xs text-slate-500">
            {e.messagingLimit === null
              ? 'No daily messaging limit'
              : `Limit ${e.messagingLimit.toLocaleString()} customers a day${e.remainingToday !== null ? `, ${e.remainingToday.toLocaleString()} left today` : ''}`}
          </dd>
        </div>
        <div className="rounded-lg bg-slate-50 p-2">
          <dt className="text-xs text-slate-600">Cost at Meta’s rates</dt>
          <dd className="font-semibold" data-testid="estimate-cost">
            {formatMoney(e.cost.total, e.cost.currency)}
          </dd>
        </div>
      </dl>
      {e.cost.byCountry.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Cost by country</caption>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3">Country</th>
                <th scope="col" className="py-1 pr-3 text-right">Recipients</th>
                <th scope="col" className="py-1 pr-3 text-right">Rate</th>
                <th scope="col" className="py-1 text-right">Cost</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {e.cost.byCountry.map((c) => (
                <tr key={c.country}>
                  <th scope="row" className="py-1 pr-3 font-normal">
                    {c.country}
                  </th>
                  <td className="py-1 pr-3 text-right tabular-nums">{c.count.toLocaleString()}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatMoney(c.rate, e.cost.currency)}</td>
                  <td className="py-1 text-right tabular-nums">{formatMoney(c.cost, e.cost.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
