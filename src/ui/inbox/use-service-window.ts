'use client'
// The 24-hour customer-service window as the composer shows it, ticking each half minute.
import { useEffect, useState } from 'react'

function formatRemaining(ms: number) {
  const minutes = Math.max(1, Math.floor(ms / 60_000))
  const h = Math.floor(minutes / 60)
  return h > 0 ? `${h}h ${minutes % 60}m` : `${minutes}m`
}

export function useServiceWindow(expiresAt: string | null) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000)
    return () => window.clearInterval(timer)
  }, [])
  const remaining = expiresAt ? new Date(expiresAt).getTime() - now : 0
  const open = remaining > 0
  return { open, label: open ? `Window closes in ${formatRemaining(remaining)}` : 'Window closed' }
}
