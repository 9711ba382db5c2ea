// One behaviour for every JobQueue adapter: each adapter's test file runs this suite against its store.
import { randomUUID } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { JobQueue, QueueName } from '@/core/sending/job-queue'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Whether what the store just answered must reflect a moment before `deadline` (epoch ms). The store
 * ran the call before its answer arrived, so that is certain while the deadline has not passed here;
 * a test that stalled past it (a loaded machine) cannot tell, and the store may rightly have moved on.
 * (- 1: Date.now() drops the fraction of a millisecond.)
 */
export const stillBefore = (deadline: number) => Date.now() < deadline - 1

export function jobQueueContract(label: string, make: () => JobQueue) {
  describe(`JobQueue contract: ${label}`, () => {
    let q: JobQueue
    // Each test sends through queues of its own, in a `sends:` family no other test uses, so it sees
    // only the jobs it enqueued, whatever ran before it and whatever that left behind.
    let family: `sends:${string}:`
    let sends: QueueName
    // A queue of no test's family: what happens in one queue is nothing to another.
    let other: QueueName
    beforeEach(async () => {
      q = make()
      family = `sends:${randomUUID()}:`
      sends = `${family}15550001`
      other = `sends:${randomUUID()}`
    })

    it('enqueues in batches, once per id, and keeps payloads intact', async () => {
      const payload = { messageId: 'm-1', nested: { list: [1, 2], text: 'olá 👋' } }
      expect(await q.enqueue<unknown>(sends, [{ id: 'a', payload }, { id: 'b', payload: { n: 2 } }, { payload: { anonymous: true } }])).toBe(3)
      expect(await q.enqueue<unknown>(sends, [{ id: 'a', payload: { other: true } }, { id: 'c', payload: { n: 3 } }])).toBe(1)
      expect(await q.stats(sends)).toEqual({ pending: 4, delayed: 0, processing: 0, dead: 0 })
      const jobs = await q.claim<typeof payload>(sends, 10, 30_000)
      expect(jobs.find((j) => j.id === 'a')!.payload).toEqual(payload)
      // Still processing: the id is taken, so a second enqueue is a no-op.
      expect(await q.enqueue(sends, [{ id: 'a', payload }])).toBe(0)
      expect(await q.stats(other)).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 0 })
    })

    it('claims oldest first, at most max, each job by one claimer only', async () => {
      await q.enqueue(sends, Array.from({ length: 100 }, (_, i) => ({ id: `j${String(i).padStart(3, '0')}`, payload: { i } })))
      const first = await q.claim<{ i: number }>(sends, 5, 30_000)
      expect(first.map((j) => j.payload.i)).toEqual([0, 1, 2, 3, 4])
      expect(first.every((j) => j.attempts === 1 && j.lease)).toBe(true)
      const batches = await Promise.all(Array.from({ length: 8 }, () => q.claim<{ i: number }>(sends, 15, 30_000)))
      const ids = [...first, ...batches.flat()].map((j) => j.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.length).toBe(100)
      expect(await q.stats(sends)).toMatchObject({ pending: 0, processing: 100 })
      expect(await q.claim(sends, 10, 30_000)).toEqual([])
    })

    it('acks with the current lease only', async () => {
      await q.enqueue(sends, [{ id: 'x', payload: {} }])
      const [job] = await q.claim(sends, 1, 30_000)
      expect(await q.ack(sends, { id: 'x', lease: 'not-the-lease' })).toBe(false)
      expect(await q.ack(sends, job!)).toBe(true)
      expect(await q.ack(sends, job!)).toBe(false)
      expect(await q.stats(sends)).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 0 })
    })

    it("gives a dead worker's job to another after the visibility timeout, with a new lease", async () => {
      await q.enqueue(sends, [{ id: 'slow', payload: {} }])
      const visibleAgainAt = Date.now() + 150
      const [first] = await q.claim(sends, 1, 150)
      // Out of other claimers' reach until its visibility timeout; whoever claims after that gets it.
      const early = await q.claim(sends, 1, 30_000)
      if (stillBefore(visibleAgainAt)) expect(early).toEqual([])
      await sleep(250)
      const [second] = [...early, ...(await q.claim(sends, 1, 30_000))]
      expect(second).toMatchObject({ id: 'slow', attempts: 2 })
      expect(second!.lease).not.toBe(first!.lease)
      expect(await q.ack(sends, first!)).toBe(false)
      expect(await q.ack(sends, second!)).toBe(true)
    })

    it('tells the next claimer when a lost claim began, and forgets claims that ended cleanly', async () => {
      await q.enqueue(sends, ['acked', 'recovered', 'released', 'retried'].map((id) => ({ id, payload: {} })))
      // The store's clock and this one are the same machine's: a little slack for rounding.
      const within = (from: number) => (at: number | null) => at !== null && at >= from - 50 && at <= Date.now() + 50
      const firstClaim = Date.now()
      const fresh = await q.claim(sends, 4, 100)
      expect(fresh.map((j) => j.lostClaimAt)).toEqual([null, null, null, null])
      // Every claim runs out; recoverStuck puts the jobs back, remembering when the lost claims began.
      await sleep(200)
      expect(await q.recoverStuck(sends)).toBe(4)
      const again = await q.claim(sends, 4, 30_000)
      expect(again.map((j) => j.lostClaimAt).every(within(firstClaim))).toBe(true)
      // These claims end cleanly: nothing is in doubt for the next claimer.
      const held = new Map(again.map((j) => [j.id, j]))
      expect(await q.release(sends, held.get('released')!, Date.now())).toBe(true)
      expect(await q.retry(sends, held.get('retried')!, Date.now(), 'x')).toBe(true)
      expect(await q.ackMany(sends, [held.get('acked')!, held.get('recovered')!])).toBe(2)
      const cleanClaim = Date.now()
      const clean = await q.claim(sends, 4, 100)
      expect(Object.fromEntries(clean.map((j) => [j.id, j.lostClaimAt]))).toEqual({ released: null, retried: null })
      // A claim that runs out and is taken straight back by the next claim is lost as well.
      await sleep(200)
      const taken = await q.claim(sends, 4, 30_000)
      expect(taken.map((j) => j.id).sort()).toEqual(['released', 'retried'])
      expect(taken.map((j) => j.lostClaimAt).every(within(cleanClaim))).toBe(true)
    })

    it('recovers stuck jobs to pending', async () => {
      await q.enqueue(sends, [{ id: 's1', payload: {} }, { id: 's2', payload: {} }, { id: 's3', payload: {} }])
      // The long claim first: a claim takes expired jobs back too, so one made after the short claims
      // expired (on a slow machine) would leave nothing stuck.
      await q.claim(sends, 1, 30_000)
      await q.claim(sends, 2, 100)
      await sleep(200)
      expect(await q.recoverStuck(sends)).toBe(2)
      expect(await q.stats(sends)).toMatchObject({ pending: 2, processing: 1 })
    })

    it('retries at a time (counting the attempt) and releases without counting', async () => {
      await q.enqueue(sends, [{ id: 'r', payload: {} }, { id: 'p', payload: {} }])
      const claimed = await q.claim(sends, 2, 30_000)
      const r = claimed.find((j) => j.id === 'r')!
      const p = claimed.find((j) => j.id === 'p')!
      const dueAt = Date.now() + 300
      expect(await q.retry(sends, r, dueAt, '131000 something went wrong')).toBe(true)
      expect(await q.release(sends, p, dueAt)).toBe(true)
      // Delayed until dueAt, and claimed once it has passed.
      const stats = await q.stats(sends)
      if (stillBefore(dueAt)) expect(stats).toEqual({ pending: 0, delayed: 2, processing: 0, dead: 0 })
      const early = await q.claim(sends, 5, 30_000)
      if (stillBefore(dueAt)) expect(early).toEqual([])
      await sleep(400)
      const again = [...early, ...(await q.claim(sends, 5, 30_000))]
      expect(Object.fromEntries(again.map((j) => [j.id, j.attempts]))).toEqual({ r: 2, p: 1 })
      expect(await q.retry(sends, { id: 'r', lease: 'stale' }, Date.now(), 'x')).toBe(false)
    })

    it('delays a job enqueued with runAt', async () => {
      const runAt = Date.now() + 300
      await q.enqueue(other, [{ id: 'later', payload: {}, runAt }, { id: 'now', payload: {} }])
      // 'later' is not claimed before its runAt, and is once it has passed.
      const early = (await q.claim(other, 5, 30_000)).map((j) => j.id)
      if (stillBefore(runAt)) expect(early).toEqual(['now'])
      const stats = await q.stats(other)
      if (stillBefore(runAt)) expect(stats).toMatchObject({ delayed: 1, processing: 1 })
      await sleep(400)
      expect([...early, ...(await q.claim(other, 5, 30_000)).map((j) => j.id)]).toEqual(['now', 'later'])
    })

    it('acks many at once, counting only current leases', async () => {
      await q.enqueue(sends, [{ id: 'm1', payload: {} }, { id: 'm2', payload: {} }, { id: 'm3', payload: {} }])
      const jobs = await q.claim(sends, 3, 30_000)
      expect(await q.ackMany(sends, [...jobs.slice(0, 2), { id: 'm3', lease: 'stale' }])).toBe(2)
      expect(await q.ackMany(sends, [])).toBe(0)
      expect(await q.stats(sends)).toMatchObject({ processing: 1, pending: 0 })
    })

    it('lists the queues of a family, and those with work due now', async () => {
      const later: QueueName = `${family}15550002`
      await q.enqueue(sends, [{ id: 'now', payload: {} }])
      await q.enqueue(later, [{ id: 'later', payload: {}, runAt: Date.now() + 60_000 }])
      await q.enqueue(other, [{ id: 'w', payload: {} }])
      expect((await q.queues(family)).sort()).toEqual([sends, later])
      expect(await q.readyQueues(family)).toEqual([sends])
      expect(await q.readyQueues(other)).toEqual([other])
      // A claimed job is no work for others until its visibility timeout...
      const visibleAgainAt = Date.now() + 150
      const [job] = await q.claim(sends, 1, 150)
      const ready = await q.readyQueues(family)
      if (stillBefore(visibleAgainAt)) expect(ready).toEqual([])
      // ...and a claim whose visibility ran out is work to take again.
      await sleep(250)
      expect(await q.readyQueues(family)).toEqual([sends])
      expect((await q.queues(family)).sort()).toEqual([sends, later])
      await q.ack(sends, job!)
      expect(await q.queues(family)).toEqual([later])
      await q.clear(later, 'all')
      expect(await q.queues(family)).toEqual([])
    })

    it('dead-letters with a reason, lists, retries one or all, and clears', async () => {
      await q.enqueue(sends, [{ id: 'd1', payload: { k: 1 } }, { id: 'd2', payload: { k: 2 } }, { id: 'd3', payload: { k: 3 } }])
      const jobs = await q.claim<{ k: number }>(sends, 3, 30_000)
      for (const j of jobs) expect(await q.deadLetter(sends, j, `gave up on ${j.id}`)).toBe(true)
      expect(await q.stats(sends)).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 3 })
      const dead = await q.listDead<{ k: number }>(sends, 10)
      expect(dead.map((d) => [d.id, d.reason, d.payload.k, d.attempts]).sort()).toEqual([
        ['d1', 'gave up on d1', 1, 1],
        ['d2', 'gave up on d2', 2, 1],
        ['d3', 'gave up on d3', 3, 1],
      ])
      expect(dead[0]!.failedAt).toBeGreaterThan(Date.now() - 60_000)
      // A dead id still blocks a duplicate enqueue: the message was handled, if unsuccessfully.
      expect(await q.enqueue(sends, [{ id: 'd1', payload: {} }])).toBe(0)
      expect(await q.retryDead(sends, 'd2')).toBe(1)
      expect(await q.retryDead(sends, 'nope')).toBe(0)
      const [back] = await q.claim(sends, 1, 30_000)
      expect(back).toMatchObject({ id: 'd2', attempts: 1 })
      expect(await q.retryDead(sends)).toBe(2)
      expect(await q.stats(sends)).toMatchObject({ pending: 2, dead: 0, processing: 1 })
      const two = await q.claim(sends, 2, 30_000)
      for (const j of two) await q.deadLetter(sends, j, 'again')
      expect(await q.clear(sends, 'dead')).toBe(2)
      expect(await q.stats(sends)).toEqual({ pending: 0, delayed: 0, processing: 1, dead: 0 })
      expect(await q.clear(sends, 'all')).toBe(1)
      expect(await q.stats(sends)).toEqual({ pending: 0, delayed: 0, processing: 0, dead: 0 })
    })
  })
}
