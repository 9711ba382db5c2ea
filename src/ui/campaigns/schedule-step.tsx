'use client'
// Step 3: when it sends (now, or a date and time in the workspace's time zone), quiet hours in each
// recipient's own time, how long a reply counts for the campaign, and when a falling delivery rate pauses it.
import { useId, useState } from 'react'
import { inputClass } from '@/ui/inbox/modal'
import type { DraftForm } from './use-draft-autosave'
import { zonedInputToIso, zonedInputValue, zoneLabel } from './zoned-time'

/** The launch time lives in the wizard until launch: the API takes it with the launch, not the draft. */
export interface ScheduleChoice {
  mode: 'now' | 'later'
  /** `datetime-local` value in the workspace's time zone. */
  at: string
}

const DEFAULT_QUIET = { start: '21:00', end: '08:00' }
const DEFAULT_MIN_DELIVERY = 0.7

interface Props {
  timezone: string
  draft: DraftForm
  update(change: Partial<DraftForm>): void
  schedule: ScheduleChoice
  onSchedule(choice: ScheduleChoice): void
}

export function ScheduleStep({ timezone, draft, update, schedule, onSchedule }: Props) {
  const id = useId()
  const [now] = useState(() => Date.now())
  const iso = schedule.mode === 'later' ? zonedInputToIso(schedule.at, timezone) : null
  const quiet = draft.quietHours
  const pausePercent = draft.minDeliveryRate === null ? null : Math.round(draft.minDeliveryRate * 100)

  return (
    <div className="grid gap-5 lg:grid-cols-2">
      <fieldset className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
        <legend className="px-1 text-sm font-semibold">When to send</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name={`${id}-when`} checked={schedule.mode === 'now'} onChange={() => onSchedule({ ...schedule, mode: 'now' })} className="accent-brand-600" />
          As soon as it is launched
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name={`${id}-when`} checked={schedule.mode === 'later'} onChange={() => onSchedule({ ...schedule, mode: 'later' })} className="accent-brand-600" />
          At a date and time
        </label>
        {schedule.mode === 'later' && (
          <div className="space-y-1 pl-6">
            <label htmlFor={`${id}-at`} className="block text-sm font-medium text-slate-700">
              Send at
            </label>
            <input
              id={`${id}-at`}
              type="datetime-local"
              value={schedule.at}
              min={zonedInputValue(now, timezone)}
              onChange={(e) => onSchedule({ mode: 'later', at: e.target.value })}
              className={inputClass}
              aria-describedby={`${id}-zone`}
            />
            <p id={`${id}-zone`} className="text-xs text-slate-500" data-testid="schedule-zone">
              Time zone: {zoneLabel(timezone, iso ? Date.parse(iso) : now)}
            </p>
            {iso && Date.parse(iso) <= now && <p className="text-sm text-amber-700">That time has passed; pick a later one or send now.</p>}
          </div>
        )}
      </fieldset>

      <fieldset className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
        <legend className="px-1 text-sm font-semibold">Quiet hours</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={quiet !== null} onChange={(e) => update({ quietHours: e.target.checked ? DEFAULT_QUIET : null })} className="accent-brand-600" />
          Don’t send during the night in each recipient’s own time zone
        </label>
        {quiet && (
          <div className="grid grid-cols-2 gap-3 pl-6">
            <div>
              <label htmlFor={`${id}-qs`} className="mb-1 block text-sm font-medium text-slate-700">
                Quiet from
              </label>
              <input id={`${id}-qs`} type="time" value={quiet.start} onChange={(e) => update({ quietHours: { ...quiet, start: e.target.value } })} className={inputClass} />
            </div>
            <div>
              <label htmlFor={`${id}-qe`} className="mb-1 block text-sm font-medium text-slate-700">
                Quiet until
              </label>
              <input id={`${id}-qe`} type="time" value={quiet.end} onChange={(e) => update({ quietHours: { ...quiet, end: e.target.value } })} className={inputClass} />
            </div>
            <p className="col-span-2 text-xs text-slate-500">Messages due in these hours wait until they end. The hours may span midnight.</p>
          </div>
        )}
      </fieldset>

      <fieldset className="space-y-2 rounded-xl border border-slate-200 bg-white p-4">
        <legend className="px-1 text-sm font-semibold">Replies</legend>
        <label htmlFor={`${id}-reply`} className="block text-sm font-medium text-slate-700">
          Count a reply for the campaign within (hours)
        </label>
        <input
          id={`${id}-reply`}
          type="number"
          min={1}
          max={720}
          step={1}
          value={Number.isNaN(draft.replyWindowHours) ? '' : draft.replyWindowHours}
          onChange={(e) => update({ replyWindowHours: e.target.valueAsNumber })}
          className={`${inputClass} max-w-40`}
        />
        <p className="text-xs text-slate-500">168 hours is one week.</p>
      </fieldset>

      <fieldset className="space-y-2 rounded-xl border border-slate-200 bg-white p-4">
        <legend className="px-1 text-sm font-semibold">Automatic pause</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={pausePercent !== null}
            onChange={(e) => update({ minDeliveryRate: e.target.checked ? DEFAULT_MIN_DELIVERY : null })}
            className="accent-brand-600"
          />
          Pause when too few messages are delivered
        </label>
        {pausePercent !== null && (
          <div className="pl-6">
            <label htmlFor={`${id}-rate`} className="mb-1 block text-sm font-medium text-slate-700">
              Minimum delivery rate (%)
            </label>
            <input
              id={`${id}-rate`}
              type="number"
              min={0}
              max={100}
              step={1}
              value={Number.isNaN(pausePercent) ? '' : pausePercent}
              onChange={(e) => update({ minDeliveryRate: e.target.valueAsNumber / 100 })}
              className={`${inputClass} max-w-40`}
            />
            <p className="mt-1 text-xs text-slate-500">A low delivery rate often means Meta is refusing the messages; pausing protects the number’s quality rating.</p>
          </div>
        )}
      </fieldset>
    </div>
  )
}
