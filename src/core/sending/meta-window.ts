// This worker's view of Meta's throughput window for one number. Meta counts a send at some moment
// between its departure and its answer, and refuses (130429) the send that would be the MPS+1st in any
// second. Neither moment is known exactly: a request can leave on time and still reach Meta late and
// bunched with the next ones, after a busy event loop, socket or network. So a send holds one of the
// number's `mps` places from its departure until one second after its answer. However the requests
// are delayed on their way, Meta then never sees more than `mps` of this worker's sends in a second,
// and a place frees as soon as that is certain. It costs a round trip per place per second: at 10 ms
// of latency about 1 % of the tier.
export class MetaWindow {
  private inFlight = 0
  /** Answer times, oldest first: each holds its place until a second after. */
  private readonly answered: number[] = []
  /** Sends waiting for a place, served in order by one timer (not each polling on its own). */
  private readonly waiting: (() => void)[] = []
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(readonly mps: number) {}

  /** Takes a place and answers 0 if one is certainly free at `now`; else the ms until one may be, taking nothing. */
  depart(now: number): number {
    while (this.answered.length && this.answered[0]! <= now - 1000) this.answered.shift()
    if (this.inFlight + this.answered.length < this.mps) {
      this.inFlight++
      return 0
    }
    // All places in flight: the earliest a place can free is a second after the next answer.
    return this.answered.length ? this.answered[0]! + 1000 - now + 1 : 1000
  }

  /** Resolves once this send has its place, after the sends that asked before it. */
  take(): Promise<void> {
    if (!this.waiting.length && this.depart(Date.now()) === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.waiting.push(resolve)
      this.serve()
    })
  }

  /** The send that took a place has its answer (accepted or refused) at `now`. */
  answer(now: number) {
    this.inFlight--
    this.answered.push(now)
  }

  private serve() {
    if (this.timer) return
    while (this.waiting.length) {
      const waitMs = this.depart(Date.now())
      if (waitMs > 0) {
        this.timer = setTimeout(() => {
          this.timer = null
          this.serve()
        }, waitMs)
        return
      }
      this.waiting.shift()!()
    }
  }
}
