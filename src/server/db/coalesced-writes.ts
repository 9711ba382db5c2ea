// Writes that arrive while others are in flight wait and then go together, in one statement and one
// commit, as soon as a slot frees: group commit for a busy route. There is no timer, so a lone write
// goes at once and pays nothing; under load one round trip and one durable commit serve many callers.
// Each caller's promise settles when the write holding its item has committed (or failed). A combined
// write that fails is tried again item by item, so one bad item fails its own caller only.
export interface CoalescedWritesOptions {
  /** The most items in one write. */
  maxBatch: number
  /** Writes in flight at once; more callers than that wait and are combined. */
  inFlight: number
}

interface Waiting<T> {
  item: T
  resolve: () => void
  reject: (error: unknown) => void
}

export function coalescedWrites<T>(write: (items: T[]) => Promise<void>, options: CoalescedWritesOptions): (item: T) => Promise<void> {
  const waiting: Waiting<T>[] = []
  let running = 0

  async function writeBatch(batch: Waiting<T>[]) {
    try {
      await write(batch.map((w) => w.item))
      for (const w of batch) w.resolve()
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error)
      await Promise.all(batch.map((w) => write([w.item]).then(w.resolve, w.reject)))
    }
  }

  function pump() {
    while (running < options.inFlight && waiting.length) {
      const batch = waiting.splice(0, options.maxBatch)
      running++
      void writeBatch(batch).finally(() => {
        running--
        pump()
      })
    }
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, resolve, reject })
      pump()
    })
}
