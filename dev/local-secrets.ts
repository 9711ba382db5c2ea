// Local-only secrets (JWT signing, AES key), generated once per checkout and kept in .data/.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

export async function loadLocalSecrets(dataDir: string) {
  const file = path.join(dataDir, 'local-secrets.json')
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as { JWT_SECRET: string; ENCRYPTION_KEY: string }
  const secrets = { JWT_SECRET: randomBytes(48).toString('base64url'), ENCRYPTION_KEY: randomBytes(32).toString('base64') }
  await mkdir(dataDir, { recursive: true })
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  return secrets
}
