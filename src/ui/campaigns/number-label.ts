// How a connected number is named in campaign pickers and summaries.
import type { ConnectedNumber } from '@/ui/api/numbers'

export const numberLabel = (n: ConnectedNumber) =>
  [n.displayPhoneNumber ?? n.phoneNumberId, n.verifiedName].filter(Boolean).join(' · ')
