// Local-only secrets (JWT signing, AES key, Meta app secret and verify token, ops token, QStash signing keys), generated once per
// checkout and kept in .data/; keys added later are generated and saved on the next start.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

const GENERATORS = {
  JWT_SECRET: () => randomBytes(48).toString('base64url'),
  ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
  META_APP_SECRET: () => randomBytes(24).toString('hex'),
  META_VERIFY_TOKEN: () => randomBytes(16).toString('hex'),
  OPS_TOKEN: () => randomBytes(32).toString('base64url'),
  QSTASH_CURRENT_SIGNING_KEY: () => `sig_${randomBytes(24).toString('base64url')}`,
  QSTASH_NEXT_SIGNING_KEY: () => `sig_${randomBytes(24).toString('base64url')}`,
}
export type LocalSecrets = Record<keyof typeof GENERATORS, string>

export async function loadLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, 'local-secrets.json')
  const stored: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : {}
  const secrets = Object.fromEntries(
    Object.entries(GENERATORS).map(([key, make]) => [key, stored[key as keyof LocalSecrets] ?? make()]),
  ) as LocalSecrets
  if (Object.keys(stored).length !== Object.keys(secrets).length) {
    await mkdir(dataDir, { recursive: true })
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  }
  return secrets
}
