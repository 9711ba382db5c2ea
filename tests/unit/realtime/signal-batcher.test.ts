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

  it('hands over a signal at once when all is quiet, then gathers what follows within the wait into one batch', () => {
    const batcher = createSignalBatcher((b) => batches.push(b), 100)
    batcher.add({ type: 'conversation', tenantId: TENANT, conversationId: A })
    expect(batches).toEqual([{ resync: false, conversations: new Map([[A, { messages: false }]]) }])

    batcher.add({ type: 'conversation', tenantId: TENANT, conversationId: A })
    for (let i = 0; i < 1000; i++) batcher.add({ type: 'messages', tenantId: TENANT, conversationIds: [A, B] })
    batcher.add({ type: 'conversation', tenantId: TENANT, conversationId: B })
    vi.advanceTimersByTime(99)
    expect(batches).toHaveLength(1)
    vi.advanceTimersByTime(1)
    // Each conversation once, a message change winning over conversation-only ones.
    expect(batches[1]).toEqual({ resync: false, conversations: new Map([[A, { messages: true }], [B, { messages: true }]]) })

    // A quiet wait ends the batching: the next signal goes at once again.
    vi.advanceTimersByTime(100)
    expect(batches).toHaveLength(2)
    batcher.add({ type: 'conversation', tenantId: TENANT, conversationId: B })
    expect(batches[2]).toEqual({ resync: false, conversations: new Map([[B, { messages: false }]]) })
    vi.advanceTimersByTime(1000)
    expect(batches).toHaveLength(3)
  })

  it('leaves changes that name no conversation (a template) to other listeners', () => {
    const batcher = createSignalBatcher((b) => batches.push(b), 100)
    batcher.add({ type: 'template', tenantId: TENANT, templateId: A })
    vi.advanceTimersByTime(1000)
    expect(batches).toEqual([])
  })

  it('hands over a resync at once when quiet, and drops what is gathered once stopped', () => {
    const batcher = createSignalBatcher((b) => batches.push(b), 100)
    batcher.add({ type: 'resync' })
    expect(batches).toEqual([{ resync: true, conversations: new Map() }])
    batcher.add({ type: 'messages', tenantId: TENANT, conversationIds: [A] })
    batcher.stop()
    vi.advanceTimersByTime(1000)
    expect(batches).toHaveLength(1)
  })
})
