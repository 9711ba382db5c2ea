'use client'
// The wizard's copy of a draft campaign: edits apply at once on screen and reach the server as one
// PATCH of the changed fields, 600 ms after the last edit; `save()` flushes before a step change or launch.
import { useCallback, useEffect, useRef, useState } from 'react'
import { campaignPatchSchema, type Audience, type QuietHours, type VariableMapping } from '@/core/campaigns/campaign-schemas'
import type { CampaignDetail } from './campaigns-api'
import { usePatchCampaign } from './use-campaigns'

const SAVE_DELAY_MS = 600

export interface DraftForm {
  name: string
  numberId: string | null
  templateId: string | null
  variables: VariableMapping
  audience: Audience
  quietHours: QuietHours | null
  replyWindowHours: number
  minDeliveryRate: number | null
}

export type SaveState = { kind: 'saved' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'invalid'; problems: string[] } | { kind: 'error'; message: string }

const draftOf = (c: CampaignDetail): DraftForm => ({
  name: c.name,
  numberId: c.numberId,
  templateId: c.templateId,
  variables: c.variables,
  audience: c.audience,
  quietHours: c.quietHours,
  replyWindowHours: c.replyWindowHours,
  minDeliveryRate: c.minDeliveryRate,
})

export function useDraftAutosave(campaign: CampaignDetail, onSaved: () => void) {
  const patch = usePatchCampaign(campaign.id)
  const [draft, setDraft] = useState(() => draftOf(campaign))
  const [state, setState] = useState<SaveState>({ kind: 'saved' })
  const latest = useRef(draft)
  const dirty = useRef(new Set<keyof DraftForm>())
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const inflight = useRef<Promise<boolean> | null>(null)
  const saved = useRef(onSaved)
  useEffect(() => {
    saved.current = onSaved
  })

  const { mutateAsync } = patch
  const save = useCallback(async (): Promise<boolean> => {
    clearTimeout(timer.current)
    // One PATCH at a time, so an older body never lands after a newer one.
    while (inflight.current) await inflight.current
    if (dirty.current.size === 0) return true
    const keys = [...dirty.current]
    const parsed = campaignPatchSchema.safeParse(Object.fromEntries(keys.map((k) => [k, latest.current[k]])))
    if (!parsed.success) {
      setState({ kind: 'invalid', problems: parsed.error.issues.map((i) => `${i.path.join(' › ')}: ${i.message}`) })
      return false
    }
    dirty.current.clear()
    setState({ kind: 'saving' })
    const run = mutateAsync(parsed.data).then(
      () => {
        setState(dirty.current.size ? { kind: 'pending' } : { kind: 'saved' })
        saved.current()
        return true
      },
      (error: Error) => {
        for (const k of keys) dirty.current.add(k)
        setState({ kind: 'error', message: error.message })
        return false
      },
    )
    inflight.current = run
    try {
      return await run
    } finally {
      inflight.current = null
    }
  }, [mutateAsync])

  const update = useCallback(
    (change: Partial<DraftForm>) => {
      const next = { ...latest.current, ...change }
      latest.current = next
      setDraft(next)
      for (const key of Object.keys(change) as (keyof DraftForm)[]) dirty.current.add(key)
      setState({ kind: 'pending' })
      clearTimeout(timer.current)
      timer.current = setTimeout(() => void save(), SAVE_DELAY_MS)
    },
    [save],
  )

  // Leaving the wizard mid-edit still saves the last change.
  useEffect(() => () => void save(), [save])

  return { draft, update, save, state }
}
