// How a connected number is named in campaign pickers and summaries.
import type { WhatsAppNumber } from '@/ui/inbox/inbox-api'

export const numberLabel = (n: WhatsAppNumber) =>
  [n.displayPhoneNumber ?? n.phoneNumberId, n.verifiedName].filter(Boolean).join(' · ')
