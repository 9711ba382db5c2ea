// The app's config as a fresh process would read it from these variables (on top of a minimal valid
// set): modules are reset so config.ts parses again. Answers a thunk, so a test can expect it to throw.
// Callers restore process.env after each test.
import { vi } from 'vitest'

export async function configWith(extra: Record<string, string>, base: NodeJS.ProcessEnv) {
  vi.resetModules()
  process.env = {
    ...base,
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none',
    JWT_SECRET: 'x'.repeat(32),
    ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    META_APP_SECRET: 'a'.repeat(16),
    META_VERIFY_TOKEN: 'verify-token',
    ...extra,
  }
  const { config } = await import('@/server/config')
  return () => config()
}
