// The shape of an API key (`cv_live_` + 32 random bytes in base64url) and the only form we keep of it:
// its sha256 in hex. The key itself exists once, in the creation response.
import { createHash, randomBytes } from 'node:crypto'

export const API_KEY_PREFIX = 'cv_live_'
const KEY_FORMAT = /^cv_live_[A-Za-z0-9_-]{43}$/
// Enough of the key to tell keys apart in a list, far too little to guess the rest.
const SHOWN_CHARS = API_KEY_PREFIX.length + 4

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex')

/** Whether a bearer token is meant as an API key (as opposed to a session JWT). */
export const isApiKeyToken = (token: string) => token.startsWith(API_KEY_PREFIX)

export const isWellFormedApiKey = (token: string) => KEY_FORMAT.test(token)

export function generateApiKey() {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`
  return { key, prefix: key.slice(0, SHOWN_CHARS), hash: hashApiKey(key) }
}
