// Local-only secrets (JWT signing, AES key, Meta app secret and verify token, ops token, QStash token and signing keys, VAPID keys), generated once per
// checkout and kept in .data/; keys added later are generated and saved on the next start.
import { createECDH, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

// VAPID keys are a P-256 pair in URL-safe base64, the form web-push and browsers take; the public
// key is derived from the private one so the two always match.
function vapidPublicKey(privateKey: string) {
  const ecdh = createECDH('prime256v1')
  ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'))
  return ecdh.getPublicKey().toString('base64url')
}

const GENERATORS = {
  JWT_SECRET: () => randomBytes(48).toString('base64url'),
  ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
  META_APP_SECRET: () => randomBytes(24).toString('hex'),
  META_VERIFY_TOKEN: () => randomBytes(16).toString('hex'),
  OPS_TOKEN: () => randomBytes(32).toString('base64url'),
  QSTASH_TOKEN: () => `qstash_${randomBytes(24).toString('base64url')}`,
  QSTASH_CURRENT_SIGNING_KEY: () => `sig_${randomBytes(24).toString('base64url')}`,
  QSTASH_NEXT_SIGNING_KEY: () => `sig_${randomBytes(24).toString('base64url')}`,
  VAPID_PRIVATE_KEY: () => {
    const ecdh = createECDH('prime256v1')
    ecdh.generateKeys()
    return ecdh.getPrivateKey().toString('base64url')
  },
  VAPID_PUBLIC_KEY: (made: Partial<Record<string, string>>) => vapidPublicKey(made.VAPID_PRIVATE_KEY!),
}
export type LocalSecrets = Record<keyof typeof GENERATORS, string>

export async function loadLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, 'local-secrets.json')
  const stored: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : {}
  const secrets: Partial<LocalSecrets> = {}
  // In order: a key derived from another (the VAPID public key) comes after it.
  for (const [key, make] of Object.entries(GENERATORS) as [keyof LocalSecrets, (made: Partial<Record<string, string>>) => string][])
    secrets[key] = stored[key] ?? make(secrets)
  if (Object.keys(stored).length !== Object.keys(secrets).length) {
    await mkdir(dataDir, { recursive: true })
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  }
  return secrets as LocalSecrets
}
