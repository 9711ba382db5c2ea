// WhatsApp access tokens at rest: sealed with AES-256-GCM, bound to their phone_number_id so a
// ciphertext copied onto another number's row does not decrypt.
import { open, seal } from '@/server/crypto/secret-box'

export const sealAccessToken = (token: string, phoneNumberId: string, key: string) => seal(token, key, phoneNumberId)
export const openAccessToken = (sealed: string, phoneNumberId: string, key: string) => open(sealed, key, phoneNumberId)
