'use client'
// What a supervisor can do with a campaign in its current status: pause, resume, cancel (confirmed),
// retry the failed sends, or retarget a segment of its recipients as a new draft.
import { ChevronDown, Pause, Pencil, Play, RotateCcw, Target, XCircle } from 'lucide-react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useId, useState } from 'react'
import { toast } from 'sonner'
import { RETARGET_SEGMENTS, type CampaignAction } from '@/core/campaigns/campaign-schemas'
import { secondaryButton } from '@/ui/inbox/modal'
import { SEGMENT_LABEL } from './campaign-format'
import type { CampaignDetail } from './campaigns-api'
import { useCampaignAction, useRetarget } from './use-campaigns'

const DONE_MESSAGE: Record<CampaignAction, string> = {
  pause: 'Campaign paused',
  resume: 'Campaign resumed',
  cancel: 'Campaign cancelled',
  retry_failed: 'Failed messages queued again',
}

export function CampaignControls({ campaign, failed, sentOrFailed }: { campaign: CampaignDetail; failed: number; sentOrFailed: number }) {
  const action = useCampaignAction(campaign.id)
  const s = campaign.status
  const run = (a: CampaignAction) => action.mutate(a, { onSuccess: () => toast.success(DONE_MESSAGE[a]), onError: (e) => toast.error(e.message) })
  const button = `${secondaryButton} inline-flex items-center gap-1.5 bg-white`

  return (
    <div className="flex flex-wrap items-center gap-2">
      {s === 'draft' && (
        <Link href={`/campaigns/${campaign.id}/edit`} className={button}>
          <Pencil aria-hidden className="h-4 w-4" /> Continue editing
        </Link>
      )}
      {s === 'running' && (
        <button type="button" className={button} disabled={action.isPending} onClick={() => run('pause')}>
          <Pause aria-hidden className="h-4 w-4" /> Pause
        </button>
      )}
      {s === 'paused' && (
        <button type="button" className={button} disabled={action.isPending} onClick={() => run('resume')}>
          <Play aria-hidden className="h-4 w-4" /> Resume
        </button>
      )}
      {failed > 0 && (s === 'running' || s === 'paused' || s === 'completed' || s === 'failed') && (
        <button type="button" className={button} disabled={action.isPending} onClick={() => run('retry_failed')}>
          <RotateCcw aria-hidden className="h-4 w-4" /> Retry failed
        </button>
      )}
      {(s === 'scheduled' || s === 'running' || s === 'paused') && (
        <button
          type="button"
          className={`${button} text-red-700`}
          disabled={action.isPending}
          onClick={() => {
            if (window.confirm(`Cancel “${campaign.name}”? Messages not sent yet will not be sent. This cannot be undone.`)) run('cancel')
          }}
        >
          <XCircle aria-hidden className="h-4 w-4" /> Cancel campaign
        </button>
      )}
      {s !== 'draft' && s !== 'scheduled' && sentOrFailed > 0 && <RetargetMenu campaignId={campaign.id} />}
    </div>
  )
}

function RetargetMenu({ campaignId }: { campaignId: string }) {
  const id = useId()
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const retarget = useRetarget(campaignId)
  return (
    <div
      className="relative"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false)
      }}
    >
      <button type="button" aria-expanded={open} aria-controls={`${id}-menu`} onClick={() => setOpen((o) => !o)} className={`${secondaryButton} inline-flex items-center gap-1.5 bg-white`}>
        <Target aria-hidden className="h-4 w-4" /> Retarget <ChevronDown aria-hidden className="h-4 w-4" />
      </button>
      {open && (
        <ul id={`${id}-menu`} aria-label="Retarget recipients who" className="z-10 mt-1 w-64 max-w-[calc(100vw-2rem)] rounded-md sm:absolute sm:right-0 border border-slate-200 bg-white py-1 shadow-lg">
          {RETARGET_SEGMENTS.map((segment) => (
            <li key={segment}>
              <button
                type="button"
                disabled={retarget.isPending}
                className="block w-full px-3 py-2 text-left text-sm hover:bg-slate-50 focus:bg-slate-50 focus:outline-none disabled:opacity-50"
                onClick={() =>
                  retarget.mutate(segment, {
                    onSuccess: (draft) => router.push(`/campaigns/${draft.id}/edit`),
                    onError: (e) => toast.error(e.message),
                  })
                }
              >
                {SEGMENT_LABEL[segment]}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
