// A campaign's status as a coloured pill, the same on the list and the campaign page.
import type { CampaignStatus } from '@/core/campaigns/campaign-schemas'
import { STATUS_STYLE } from './campaign-format'

export function CampaignStatusBadge({ status, testId }: { status: CampaignStatus; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium capitalize ring-1 ring-inset ${STATUS_STYLE[status]}`}>
      {status}
    </span>
  )
}
