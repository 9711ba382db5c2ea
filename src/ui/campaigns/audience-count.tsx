'use client'
// Who the audience reaches right now: the eligible count and what the rules matched but will skip.
import type { UseQueryResult } from '@tanstack/react-query'
import type { CampaignReview } from './campaigns-api'

const EXCLUSIONS = [
  ['optedOut', 'Opted out', 'excluded-opted-out'],
  ['blocked', 'Blocked', 'excluded-blocked'],
  ['invalid', 'No valid WhatsApp number', 'excluded-invalid'],
  ['marketingOptedOut', 'Stopped marketing messages', 'excluded-marketing-opted-out'],
] as const

export function AudienceCount({ review }: { review: UseQueryResult<CampaignReview> }) {
  const audience = review.data?.audience
  return (
    <section aria-label="Audience size" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4" aria-busy={review.isFetching}>
      <div>
        <p className="text-sm text-slate-600">Will receive the campaign</p>
        <p className="text-3xl font-semibold tabular-nums" aria-live="polite">
          <span data-testid="eligible-count">{audience ? audience.eligible.toLocaleString() : '…'}</span>{' '}
          <span className="text-base font-normal text-slate-500">eligible</span>
        </p>
        {audience && <p className="text-sm text-slate-500">{audience.matched.toLocaleString()} matched by the rules</p>}
      </div>
      {audience && (
        <dl className="grid grid-cols-2 gap-2 text-sm">
          {EXCLUSIONS.map(([key, label, testId]) => (
            <div key={key} className="rounded-lg bg-slate-50 p-2">
              <dt className="text-xs text-slate-600">{label}</dt>
              <dd className="font-semibold tabular-nums" data-testid={testId}>
                {audience[key].toLocaleString()}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {review.isError && (
        <p role="alert" className="text-sm text-red-600">
          {review.error.message}
        </p>
      )}
    </section>
  )
}
