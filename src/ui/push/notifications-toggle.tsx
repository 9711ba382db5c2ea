'use client'
// "Notify me" in the navigation: web-push notifications for new messages on conversations assigned to me.
import { Bell, BellOff } from 'lucide-react'
import { useEffect, useState } from 'react'
import { toast } from 'sonner'
import { currentPushState, disablePush, enablePush, registerServiceWorker, type PushState } from './push-notifications'

const EXPLAIN: Partial<Record<PushState, string>> = {
  unsupported: 'This browser cannot receive notifications',
  unconfigured: 'Notifications are not set up on this server',
  denied: 'Notifications are blocked in this browser’s site settings',
}

export function NotificationsToggle({ tenantId }: { tenantId: string | null }) {
  const [state, setState] = useState<PushState | 'loading'>('loading')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (!tenantId) return
    let live = true
    // Registered on every visit so the app stays installable and an update of sw.js is picked up.
    if ('serviceWorker' in navigator) void registerServiceWorker().catch(() => {})
    currentPushState()
      .then((s) => live && setState(s))
      .catch(() => live && setState('unsupported'))
    return () => {
      live = false
    }
  }, [tenantId])

  if (state === 'loading') return null
  const on = state === 'on'
  const toggle = async () => {
    setBusy(true)
    try {
      const next = on ? await disablePush() : await enablePush()
      setState(next)
      if (EXPLAIN[next]) toast.error(EXPLAIN[next])
    } catch (error) {
      toast.error(`Could not change notifications: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      setBusy(false)
    }
  }
  const Icon = on ? Bell : BellOff
  return (
    <button
      type="button"
      onClick={toggle}
      disabled={busy || Boolean(EXPLAIN[state])}
      aria-pressed={on}
      title={EXPLAIN[state] ?? (on ? 'Stop notifications for my conversations' : 'Notify me of new messages on my conversations')}
      className="mt-2 flex items-center gap-2 rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60"
    >
      <Icon aria-hidden className="h-4 w-4" /> {on ? 'Notifications on' : 'Notify me'}
    </button>
  )
}
