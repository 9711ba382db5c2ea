'use client'
// Subscribe a component to the workspace's live changes. The connection itself is opened once by
// RealtimeProvider; this only registers a listener for as long as the component is mounted.
import { useEffect, useRef } from 'react'
import type { RealtimeSignal } from '@/core/realtime/realtime-event'
import { realtimeListeners } from './realtime-listeners'

export function useRealtime(listener: (signal: RealtimeSignal) => void) {
  const latest = useRef(listener)
  useEffect(() => {
    latest.current = listener
  })
  useEffect(() => realtimeListeners.add((signal) => latest.current(signal)), [])
}
