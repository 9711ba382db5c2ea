'use client'
// The draft campaign's wizard: audience, template and variables, schedule, review and launch. Every
// edit autosaves; the review (eligible count, previews, estimate, problems) refreshes after each save.
import { useQueryClient } from '@tanstack/react-query'
import { Check } from 'lucide-react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { atLeast } from '@/core/tenancy/roles'
import { useActiveRole, useTenantId } from '@/ui/api/use-session'
import { inputClass, primaryButton, secondaryButton } from '@/ui/inbox/modal'
import { AudienceStep } from './audience-step'
import { CampaignStatusBadge } from './campaign-status-badge'
import { campaignKeys, type CampaignDetail } from './campaigns-api'
import { ReviewStep } from './review-step'
import { ScheduleStep, type ScheduleChoice } from './schedule-step'
import { TemplateStep } from './template-step'
import { useCampaign, useCampaignReview } from './use-campaigns'
import { useDraftAutosave, type SaveState } from './use-draft-autosave'
import { zonedInputValue } from './zoned-time'

const REVIEW_REFRESH_MS = 400
const STEPS = ['Audience', 'Template', 'Schedule', 'Review'] as const

export function CampaignWizard({ id }: { id: string }) {
  const router = useRouter()
  const role = useActiveRole()
  const campaign = useCampaign(id)
  const status = campaign.data?.status
  // Launched campaigns are watched on their page, and only supervisors and above edit drafts.
  const leave = (status !== undefined && status !== 'draft') || (role !== undefined && !atLeast(role, 'supervisor'))
  useEffect(() => {
    if (leave) router.replace(`/campaigns/${id}`)
  }, [leave, id, router])

  if (campaign.isPending) return <p className="text-sm text-slate-500">Loading the campaign…</p>
  if (campaign.isError)
    return (
      <p role="alert" className="text-sm text-red-600">
        {campaign.error.message}
      </p>
    )
  if (leave) return <p className="text-sm text-slate-500">Opening the campaign’s page…</p>
  return <Wizard campaign={campaign.data} />
}

function Wizard({ campaign }: { campaign: CampaignDetail }) {
  const ids = { title: useId(), name: useId() }
  const tenantId = useTenantId()
  const client = useQueryClient()
  const review = useCampaignReview(campaign.id)
  const [step, setStep] = useState(0)
  const [schedule, setSchedule] = useState<ScheduleChoice>(() =>
    campaign.scheduledAt ? { mode: 'later', at: zonedInputValue(Date.parse(campaign.scheduledAt), campaign.timezone) } : { mode: 'now', at: '' },
  )

  const reviewTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const refreshReview = useCallback(() => {
    clearTimeout(reviewTimer.current)
    reviewTimer.current = setTimeout(() => void client.invalidateQueries({ queryKey: campaignKeys.review(tenantId, campaign.id) }), REVIEW_REFRESH_MS)
  }, [client, tenantId, campaign.id])
  const onListChanged = useCallback(() => {
    // The list size lives on the campaign; the wizard's draft copy is untouched by the refetch.
    void client.invalidateQueries({ queryKey: campaignKeys.campaign(tenantId, campaign.id) })
    refreshReview()
  }, [client, tenantId, campaign.id, refreshReview])
  useEffect(() => () => clearTimeout(reviewTimer.current), [])

  const { draft, update, save, state } = useDraftAutosave(campaign, refreshReview)
  const goTo = (next: number) => {
    void save()
    setStep(next)
  }

  return (
    <section aria-labelledby={ids.title} className="mx-auto max-w-6xl space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <p className="text-sm">
            <Link href="/campaigns" className="text-brand-700 hover:underline">
              Campaigns
            </Link>
          </p>
          <h1 id={ids.title} className="flex flex-wrap items-center gap-2 text-2xl font-semibold">
            <span className="break-all">{draft.name || 'Untitled campaign'}</span>
            <CampaignStatusBadge status="draft" testId="campaign-status" />
          </h1>
        </div>
        <SaveIndicator state={state} />
      </div>

      <div className="max-w-md">
        <label htmlFor={ids.name} className="mb-1 block text-sm font-medium text-slate-700">
          Campaign name
        </label>
        <input id={ids.name} value={draft.name} maxLength={200} onChange={(e) => update({ name: e.target.value })} className={inputClass} />
      </div>

      <nav aria-label="Campaign steps">
        <ol className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          {STEPS.map((label, i) => (
            <li key={label}>
              <button
                type="button"
                onClick={() => goTo(i)}
                aria-current={i === step ? 'step' : undefined}
                className="flex w-full items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-2 text-left text-sm font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 aria-[current=step]:border-brand-600 aria-[current=step]:bg-brand-50 aria-[current=step]:text-brand-700"
              >
                <span aria-hidden className="flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-slate-100 text-xs">
                  {i < step ? <Check className="h-3.5 w-3.5" /> : i + 1}
                </span>
                <span>
                  <span className="sr-only">Step {i + 1}: </span>
                  {label}
                </span>
              </button>
            </li>
          ))}
        </ol>
      </nav>

      {step === 0 && <AudienceStep campaign={campaign} draft={draft} update={update} review={review} save={save} onListChanged={onListChanged} />}
      {step === 1 && <TemplateStep draft={draft} update={update} review={review} />}
      {step === 2 && <ScheduleStep timezone={campaign.timezone} draft={draft} update={update} schedule={schedule} onSchedule={setSchedule} />}
      {step === 3 && <ReviewStep campaign={campaign} draft={draft} review={review} schedule={schedule} save={save} saveState={state} />}

      <div className="flex justify-between gap-2 border-t border-slate-200 pt-4">
        <button type="button" className={secondaryButton} disabled={step === 0} onClick={() => goTo(step - 1)}>
          Back
        </button>
        {step < STEPS.length - 1 && (
          <button type="button" className={primaryButton} onClick={() => goTo(step + 1)}>
            Next: {STEPS[step + 1]}
          </button>
        )}
      </div>
    </section>
  )
}

function SaveIndicator({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saved' ? 'All changes saved'
    : state.kind === 'pending' ? 'Unsaved changes'
    : state.kind === 'saving' ? 'Saving…'
    : state.kind === 'invalid' ? `Not saved: ${state.problems.join('; ')}`
    : `Not saved: ${state.message}`
  const tone = state.kind === 'invalid' || state.kind === 'error' ? 'text-red-600' : state.kind === 'saved' ? 'text-brand-700' : 'text-slate-500'
  return (
    <p role="status" data-testid="save-state" className={`max-w-sm text-sm ${tone}`}>
      {state.kind === 'saved' && <Check aria-hidden className="mr-1 inline h-4 w-4" />}
      {text}
    </p>
  )
}
