// One behaviour for every JobQueue adapter: each adapter's test file runs this suite against its store.
import { describe, expect, it } from 'vitest'
import type { JobQueue } from '@/core/sending/job-queue'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function jobQueueContract(label: string, make: () => JobQueue) {
  describe(`JobQueue contract: ${label}`, () => {
    let q: JobQueue
    const fresh = async () => {
      q = make()
      await q.clear('sends:15550001', 'all')
      await q.clear('webhooks', 'all')
    }

    it('enqueues in batches, once per id, and keeps payloads intact', async () => {
      await fresh()
      const payload = { messageId: 'm-1', nested: { list: [1, 2], text: 'olá 👋' } }
      expect(await q.enqueue<unknown>('sends:15550001', [{ id: 'a', payload }, { id: 'b', payload: { n: 2 } }, { payload: { anonymous: true } }])).toBe(3)
      expect(await q.enqueue<unknown>('sends:15550001', [{ id: 'a', payload: { other: true } }, { id: 'c', payload: { n: 3 } }])).toBe(1)
      expect(await q.stats('sends:15550001')).toEqual({ pending: 4, delayed: 0, processing: 0, dead: 0 })
      const jobs = await q.claim<typeof payload>('sends:15550001', 10, 30_000)
      expect(jobs.find((j) => j.id === 'a')!.payload).toEqual(payload)
      // Still processing: the id is taken, so a second enqueue is a no-op.
      expect(await q.enqueue('sends:15550001', [{ id: 'a', payload }])).toBe(0)
      expect(await q.stats('webhooks')).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 0 })
    })

    it('claims oldest first, at most max, each job by one claimer only', async () => {
      await fresh()
      await q.enqueue('sends:15550001', Array.from({ length: 100 }, (_, i) => ({ id: `j${String(i).padStart(3, '0')}`, payload: { i } })))
      const first = await q.claim<{ i: number }>('sends:15550001', 5, 30_000)
      expect(first.map((j) => j.payload.i)).toEqual([0, 1, 2, 3, 4])
      expect(first.every((j) => j.attempts === 1 && j.lease)).toBe(true)
      const batches = await Promise.all(Array.from({ length: 8 }, () => q.claim<{ i: number }>('sends:15550001', 15, 30_000)))
      const ids = [...first, ...batches.flat()].map((j) => j.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.length).toBe(100)
      expect(await q.stats('sends:15550001')).toMatchObject({ pending: 0, processing: 100 })
      expect(await q.claim('sends:15550001', 10, 30_000)).toEqual([])
    })

    it('acks with the current lease only', async () => {
      await fresh()
      await q.enqueue('sends:15550001', [{ id: 'x', payload: {} }])
      const [job] = await q.claim('sends:15550001', 1, 30_000)
      expect(await q.ack('sends:15550001', { id: 'x', lease: 'not-the-lease' })).toBe(false)
      expect(await q.ack('sends:15550001', job!)).toBe(true)
      expect(await q.ack('sends:15550001', job!)).toBe(false)
      expect(await q.stats('sends:15550001')).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 0 })
    })

    it("gives a dead worker's job to another after the visibility timeout, with a new lease", async () => {
      await fresh()
      await q.enqueue('sends:15550001', [{ id: 'slow', payload: {} }])
      const [first] = await q.claim('sends:15550001', 1, 150)
      expect(await q.claim('sends:15550001', 1, 150)).toEqual([])
      await sleep(250)
      const [second] = await q.claim('sends:15550001', 1, 30_000)
      expect(second).toMatchObject({ id: 'slow', attempts: 2 })
      expect(second!.lease).not.toBe(first!.lease)
      expect(await q.ack('sends:15550001', first!)).toBe(false)
      expect(await q.ack('sends:15550001', second!)).toBe(true)
    })

    it('recovers stuck jobs to pending', async () => {
      await fresh()
      await q.enqueue('sends:15550001', [{ id: 's1', payload: {} }, { id: 's2', payload: {} }, { id: 's3', payload: {} }])
      await q.claim('sends:15550001', 2, 100)
      await q.claim('sends:15550001', 1, 30_000)
      await sleep(200)
      expect(await q.recoverStuck('sends:15550001')).toBe(2)
      expect(await q.stats('sends:15550001')).toMatchObject({ pending: 2, processing: 1 })
    })

    it('retries at a time (counting the attempt) and releases without counting', async () => {
      await fresh()
      await q.enqueue('sends:15550001', [{ id: 'r', payload: {} }, { id: 'p', payload: {} }])
      const claimed = await q.claim('sends:15550001', 2, 30_000)
      const r = claimed.find((j) => j.id === 'r')!
      const p = claimed.find((j) => j.id === 'p')!
      expect(await q.retry('sends:15550001', r, Date.now() + 300, '131000 something went wrong')).toBe(true)
      expect(await q.release('sends:15550001', p, Date.now() + 300)).toBe(true)
      expect(await q.stats('sends:15550001')).toEqual({ pending: 0, delayed: 2, processing: 0, dead: 0 })
      expect(await q.claim('sends:15550001', 5, 30_000)).toEqual([])
      await sleep(400)
      const again = await q.claim('sends:15550001', 5, 30_000)
      expect(Object.fromEntries(again.map((j) => [j.id, j.attempts]))).toEqual({ r: 2, p: 1 })
      expect(await q.retry('sends:15550001', { id: 'r', lease: 'stale' }, Date.now(), 'x')).toBe(false)
    })

    it('delays a job enqueued with runAt', async () => {
      await fresh()
      await q.enqueue('webhooks', [{ id: 'later', payload: {}, runAt: Date.now() + 300 }, { id: 'now', payload: {} }])
      expect((await q.claim('webhooks', 5, 30_000)).map((j) => j.id)).toEqual(['now'])
      expect(await q.stats('webhooks')).toMatchObject({ delayed: 1, processing: 1 })
      await sleep(400)
      expect((await q.claim('webhooks', 5, 30_000)).map((j) => j.id)).toEqual(['later'])
    })

    it('acks many at once, counting only current leases', async () => {
      await fresh()
      await q.enqueue('sends:15550001', [{ id: 'm1', payload: {} }, { id: 'm2', payload: {} }, { id: 'm3', payload: {} }])
      const jobs = await q.claim('sends:15550001', 3, 30_000)
      expect(await q.ackMany('sends:15550001', [...jobs.slice(0, 2), { id: 'm3', lease: 'stale' }])).toBe(2)
      expect(await q.ackMany('sends:15550001', [])).toBe(0)
      expect(await q.stats('sends:15550001')).toMatchObject({ processing: 1, pending: 0 })
    })

    it('lists the queues of a family, and those with work due now', async () => {
      await fresh()
      await q.clear('sends:15550002', 'all')
      await q.clear('sends:15550003', 'all')
      await q.enqueue('sends:15550001', [{ id: 'now', payload: {} }])
      await q.enqueue('sends:15550002', [{ id: 'later', payload: {}, runAt: Date.now() + 60_000 }])
      await q.enqueue('webhooks', [{ id: 'w', payload: {} }])
      expect((await q.queues('sends:')).sort()).toEqual(['sends:15550001', 'sends:15550002'])
      expect(await q.readyQueues('sends:')).toEqual(['sends:15550001'])
      expect(await q.readyQueues('webhooks')).toEqual(['webhooks'])
      const [job] = await q.claim('sends:15550001', 1, 150)
      expect(await q.readyQueues('sends:')).toEqual([])
      // A claim whose visibility ran out is work to take again.
      await sleep(250)
      expect(await q.readyQueues('sends:')).toEqual(['sends:15550001'])
      expect((await q.queues('sends:')).sort()).toEqual(['sends:15550001', 'sends:15550002'])
      await q.ack('sends:15550001', job!)
      expect(await q.queues('sends:')).toEqual(['sends:15550002'])
      await q.clear('sends:15550002', 'all')
      expect(await q.queues('sends:')).toEqual([])
    })

    it('dead-letters with a reason, lists, retries one or all, and clears', async () => {
      await fresh()
      await q.enqueue('sends:15550001', [{ id: 'd1', payload: { k: 1 } }, { id: 'd2', payload: { k: 2 } }, { id: 'd3', payload: { k: 3 } }])
      const jobs = await q.claim<{ k: number }>('sends:15550001', 3, 30_000)
      for (const j of jobs) expect(await q.deadLetter('sends:15550001', j, `gave up on ${j.id}`)).toBe(true)
      expect(await q.stats('sends:15550001')).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 3 })
      const dead = await q.listDead<{ k: number }>('sends:15550001', 10)
      expect(dead.map((d) => [d.id, d.reason, d.payload.k, d.attempts]).sort()).toEqual([
        ['d1', 'gave up on d1', 1, 1],
        ['d2', 'gave up on d2', 2, 1],
        ['d3', 'gave up on d3', 3, 1],
      ])
      expect(dead[0]!.failedAt).toBeGreaterThan(Date.now() - 60_000)
      // A dead id still blocks a duplicate enqueue: the message was handled, if unsuccessfully.
      expect(await q.enqueue('sends:15550001', [{ id: 'd1', payload: {} }])).toBe(0)
      expect(await q.retryDead('sends:15550001', 'd2')).toBe(1)
      expect(await q.retryDead('sends:15550001', 'nope')).toBe(0)
      const [back] = await q.claim('sends:15550001', 1, 30_000)
      expect(back).toMatchObject({ id: 'd2', attempts: 1 })
      expect(await q.retryDead('sends:15550001')).toBe(2)
      expect(await q.stats('sends:15550001')).toMatchObject({ pending: 2, dead: 0, processing: 1 })
      const two = await q.claim('sends:15550001', 2, 30_000)
      for (const j of two) await q.deadLetter('sends:15550001', j, 'again')
      expect(await q.clear('sends:15550001', 'dead')).toBe(2)
      expect(await q.stats('sends:15550001')).toEqual({ pending: 0, delayed: 0, processing: 1, dead: 0 })
      expect(await q.clear('sends:15550001', 'all')).toBe(1)
      expect(await q.stats('sends:15550001')).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 0 })
    })
  })
}
