// The campaign governor's judgement, from the campaign's own results since it last (re)started: Meta's
// signals that the number or template is in trouble pause the campaign with the reason shown, and so
// does a delivery rate below the campaign's threshold. (131050 — the customer stopped marketing — is
// acted on per contact by the database trigger; throughput, pair rate and the messaging limit are the
// send engine's.)

/** Codes that mean "stop sending this campaign now": continuing would harm the number's standing. */
export const PAUSING_CODES: Record<number, string> = {
  131048: 'Meta’s spam rate limit was hit: too many messages from this number were blocked or reported',
  132015: 'Meta paused the template for low quality',
  132016: 'Meta disabled the template for low quality',
  131031: 'The WhatsApp Business account is locked',
  368: 'The account is temporarily restricted for policy violations',
}
/** Meta holds single messages back for "healthy ecosystem engagement"; a steady share of them is the signal. */
export const ENGAGEMENT_CODE = 131049
const ENGAGEMENT_MIN = 5
const ENGAGEMENT_SHARE = 0.02
/** The delivery rate is judged once this many sends have settled. */
export const DELIVERY_SAMPLE = 50

export interface GovernorInput {
  /** Failures since the governor's start, by Meta's code. */
  failuresByCode: Map<number | null, number>
  /** Sends (and immediate failures) old enough for Meta to have reported delivery, and how many of them were delivered. */
  settled: number
  settledDelivered: number
  attempted: number
  minDeliveryRate: number | null
}

export function governorVerdict(input: GovernorInput): { pause: string } | null {
  for (const [code, reason] of Object.entries(PAUSING_CODES))
    if ((input.failuresByCode.get(Number(code)) ?? 0) > 0) return { pause: `${reason} (error ${code})` }
  const engagement = input.failuresByCode.get(ENGAGEMENT_CODE) ?? 0
  if (engagement >= ENGAGEMENT_MIN && engagement >= input.attempted * ENGAGEMENT_SHARE)
    return { pause: `Meta held back ${engagement} messages to keep ecosystem engagement healthy (error ${ENGAGEMENT_CODE}): recipients are not engaging with this template` }
  if (input.minDeliveryRate !== null && input.settled >= DELIVERY_SAMPLE) {
    const rate = input.settledDelivered / input.settled
    if (rate < input.minDeliveryRate)
      return { pause: `Delivery rate ${(rate * 100).toFixed(1)}% fell below the campaign’s ${(input.minDeliveryRate * 100).toFixed(0)}% threshold` }
  }
  return null
}
