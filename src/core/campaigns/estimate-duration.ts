// How long a campaign takes: the number's throughput sets the pace, the portfolio's messaging limit
// (unique customers per moving 24 h outside a service window) may spread it over several days.
export function estimateDuration(input: { recipients: number; mps: number; messagingLimit: number | null; remainingToday: number | null }) {
  const seconds = Math.ceil(input.recipients / Math.max(1, input.mps))
  if (input.messagingLimit === null || input.remainingToday === null || input.recipients <= input.remainingToday) return { seconds, days: 1 }
  const rest = input.recipients - input.remainingToday
  return { seconds, days: 1 + Math.ceil(rest / input.messagingLimit) }
}
