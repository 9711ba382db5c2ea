// Identifiers shaped like Meta's. They come from crypto randomness, not the seeded PRNG: a restarted
// emulator with the same seed must never hand the app a wamid or media id it has already stored.
import { createHash, randomBytes } from 'node:crypto'

// A wamid is base64 of a small protobuf-like frame: the customer's number, a direction marker and
// 20 uppercase hex characters (0x11 for business-sent, 0x12 for customer-sent, as seen in real ids).
export function makeWamid(waId: string, direction: 'outbound' | 'inbound'): string {
  const phone = Buffer.from(waId, 'ascii')
  const tail = Buffer.from(randomBytes(10).toString('hex').toUpperCase(), 'ascii')
  const frame = Buffer.concat([
    Buffer.from([0x1c, 0x18, phone.length]),
    phone,
    Buffer.from([0x15, 0x02, 0x00, direction === 'outbound' ? 0x11 : 0x12, 0x18, tail.length]),
    tail,
    Buffer.from([0x00]),
  ])
  return `wamid.${frame.toString('base64')}`
}

// Media and template ids are 15–16 digit numeric strings.
export const makeNumericId = () => String(1_000_000_000_000_000n + BigInt(`0x${randomBytes(7).toString('hex')}`) % 8_000_000_000_000_000n)

export const conversationId = (phoneNumberId: string, waId: string, category: string, windowStart: number) =>
  createHash('md5').update(`${phoneNumberId}:${waId}:${category}:${windowStart}`).digest('hex')
