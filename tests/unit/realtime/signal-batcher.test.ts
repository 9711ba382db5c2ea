import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSignalBatcher, type SignalBatch } from '@/ui/realtime/signal-batcher'

const TENANT = '00000000-0000-4000-8000-000000000000'
const A = '00000000-0000-4000-8000-00000000000a'
const B = '00000000-0000-4000-8000-00000000000b'

describe('signal batcher', () => {
  let batches: SignalBatch[]
  beforeEach(() => {
    vi.useFakeTimers()
    batches = []
  })
  afterEach(() => vi.useRealTimers())

  it('hands over one batch per wait, each conversation once, message changes winning over conversation-only ones', () => {
    const batcher = createSignalBatcher((b) => batches.push(b), 100)
    batcher.add({ type: 'conversation', tenantId: TENANT, conversationId: A })
    for (let i = 0; i < 1000; i++) batcher.add({ type: 'messages', tenantId: TENANT, conversationIds: [A, B] })
    batcher.add({ type: 'conversation', tenantId: TENANT, conversationId: B })
    expect(batches).toEqual([])
    vi.advanceTimersByTime(100)
    expect(batches).toEqual([{ resync: false, conversations: new Map([[A, { messages: true }], [B, { messages: true }]]) }])

    batcher.add({ type: 'conversation', tenantId: TENANT, conversationId: B })
    vi.advanceTimersByTime(100)
    expect(batches[1]).toEqual({ resync: false, conversations: new Map([[B, { messages: false }]]) })
    vi.advanceTimersByTime(1000)
    expect(batches).toHaveLength(2)
  })

  it('carries a resync, and drops what is gathered once stopped', () => {
    const batcher = createSignalBatcher((b) => batches.push(b), 100)
    batcher.add({ type: 'resync' })
    vi.advanceTimersByTime(100)
    expect(batches).toEqual([{ resync: true, conversations: new Map() }])
    batcher.add({ type: 'messages', tenantId: TENANT, conversationIds: [A] })
    batcher.stop()
    vi.advanceTimersByTime(1000)
    expect(batches).toHaveLength(1)
  })
})
