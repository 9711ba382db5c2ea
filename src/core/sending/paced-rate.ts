// The rate a number is paced at: `headroom` below its MPS, and at least 3 messages below, since at low
// rates a few tens of ms of network or scheduling jitter already bunch that many into one second.
export const pacedRate = (mps: number, headroom: number) => Math.max(1, Math.min(mps * (1 - headroom), mps - 3))
