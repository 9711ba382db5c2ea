import { describe, expect, it } from 'vitest'
import { coalescedWrites } from '@/server/db/coalesced-writes'

/** A write whose calls are recorded and finish only when the test says so. */
function heldWrites(fail: (items: string[]) => boolean = () => false) {
  const calls: { items: string[]; finish: () => void }[] = []
  const write = (items: string[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ items, finish: () => (fail(items) ? reject(new Error(`refused ${items.join(',')}`)) : resolve()) })
    })
  return { calls, write }
}
const settle = () => new Promise((r) => setTimeout(r, 0))

describe('coalescedWrites', () => {
  it('writes a lone item at once and combines the items that arrive while writes are in flight', async () => {
    const { calls, write } = heldWrites()
    const store = coalescedWrites(write, { maxBatch: 3, inFlight: 1 })
    const first = store('a')
    expect(calls.map((c) => c.items)).toEqual([['a']])
    const waiting = ['b', 'c', 'd', 'e'].map((item) => store(item))
    await settle()
    expect(calls).toHaveLength(1)

    calls[0]!.finish()
    await first
    await settle()
    // At most maxBatch per write, in arrival order; the rest go with the next free slot.
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'c', 'd']])
    calls[1]!.finish()
    await settle()
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'c', 'd'], ['e']])
    calls[2]!.finish()
    await Promise.all(waiting)
  })

  it('keeps up to inFlight writes going at once', async () => {
    const { calls, write } = heldWrites()
    const store = coalescedWrites(write, { maxBatch: 10, inFlight: 2 })
    const all = ['a', 'b', 'c', 'd'].map((item) => store(item))
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b']])
    calls[1]!.finish()
    await settle()
    expect(calls.map((c) => c.items)).toEqual([['a'], ['b'], ['c', 'd']])
    calls[0]!.finish()
    calls[2]!.finish()
    await Promise.all(all)
  })

  it('settles each caller only when the write holding its item has', async () => {
    const { calls, write } = heldWrites()
    const store = coalescedWrites(write, { maxBatch: 10, inFlight: 1 })
    let settled = 0
    void store('a').then(() => settled++)
    void store('b').then(() => settled++)
    await settle()
    expect(settled).toBe(0)
    calls[0]!.finish()
    await settle()
    expect(settled).toBe(1)
    calls[1]!.finish()
    await settle()
    expect(settled).toBe(2)
  })

  it('tries a failed combined write item by item, so only the bad item fails its caller', async () => {
    const { calls, write } = heldWrites((items) => items.includes('bad'))
    const store = coalescedWrites(write, { maxBatch: 10, inFlight: 1 })
    const first = store('a')
    const outcomes = ['b', 'bad', 'c'].map((item) =>
      store(item).then(
        () => 'stored',
        (e: Error) => e.message,
      ),
    )
    calls[0]!.finish()
    await first
    await settle()
    calls[1]!.finish()
    await settle()
    expect(calls.slice(1).map((c) => c.items)).toEqual([['b', 'bad', 'c'], ['b'], ['bad'], ['c']])
    for (const c of calls.slice(2)) c.finish()
    expect(await Promise.all(outcomes)).toEqual(['stored', 'refused bad', 'stored'])
  })
})
