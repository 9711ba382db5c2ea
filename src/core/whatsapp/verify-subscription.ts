// Meta's webhook subscription handshake: echo hub.challenge only for our verify token.
import { timingSafeEqual } from 'node:crypto'
import { forbidden } from '@/core/errors/app-error'

export function verifySubscription(params: URLSearchParams, verifyToken: string): string {
  const mode = params.get('hub.mode')
  const token = Buffer.from(params.get('hub.verify_token') ?? '')
  const expected = Buffer.from(verifyToken)
  const challenge = params.get('hub.challenge')
  const tokenMatches = token.length === expected.length && timingSafeEqual(token, expected)
  if (mode !== 'subscribe' || !tokenMatches || !challenge) throw forbidden('Webhook verification failed')
  return challenge
}
