// The page Content-Security-Policy builder: strict scripts by nonce, eval only under `next dev`, Supabase
// Realtime's origins only when configured, and https-only directives only on https deployments.
import { describe, expect, it } from 'vitest'
import { buildContentSecurityPolicy, createNonce, isHttpsDeployment } from '@/server/http/content-security-policy'

const nonce = 'AAAAAAAAAAAAAAAAAAAAAA=='
const directives = (csp: string) => Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]))

describe('the page content security policy', () => {
  it('allows scripts only by nonce in production, with everything else locked to this origin', () => {
    const csp = buildContentSecurityPolicy({ nonce, dev: false, https: false })
    expect(directives(csp)).toEqual({
      'default-src': "'self'",
      'script-src': `'self' 'nonce-${nonce}' 'strict-dynamic'`,
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'worker-src': "'self'",
      'manifest-src': "'self'",
      'frame-ancestors': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'object-src': "'none'",
    })
    expect(csp).not.toContain('unsafe-eval')
  })

  it("adds 'unsafe-eval' to scripts under next dev only", () => {
    expect(directives(buildContentSecurityPolicy({ nonce, dev: true, https: false }))['script-src']).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic' 'unsafe-eval'`)
  })

  it('lets the browser reach the Supabase project over https and its realtime websocket when configured', () => {
    const hosted = buildContentSecurityPolicy({ nonce, dev: false, https: true, supabaseUrl: 'https://abcd.supabase.co' })
    expect(directives(hosted)['connect-src']).toBe("'self' https://abcd.supabase.co wss://abcd.supabase.co")
    const local = buildContentSecurityPolicy({ nonce, dev: true, https: false, supabaseUrl: 'http://127.0.0.1:54321/' })
    expect(directives(local)['connect-src']).toBe("'self' http://127.0.0.1:54321 ws://127.0.0.1:54321")
  })

  it('upgrades insecure requests only when served over https', () => {
    expect(buildContentSecurityPolicy({ nonce, dev: false, https: true })).toMatch(/; upgrade-insecure-requests$/)
    expect(buildContentSecurityPolicy({ nonce, dev: false, https: false })).not.toContain('upgrade-insecure-requests')
  })

  it('refuses a nonce that could smuggle directives into the header', () => {
    expect(() => buildContentSecurityPolicy({ nonce: "x'; script-src *", dev: false, https: false })).toThrow()
    expect(() => buildContentSecurityPolicy({ nonce: 'short', dev: false, https: false })).toThrow()
  })

  it('creates a fresh 128-bit base64 nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce))
    expect(nonces.size).toBe(100)
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/)
  })
})

describe('https deployments', () => {
  it('are production builds whose public URL is https, never the http://localhost stack', () => {
    expect(isHttpsDeployment({ NODE_ENV: 'production', APP_URL: 'https://app.conversa.example' })).toBe(true)
    expect(isHttpsDeployment({ NODE_ENV: 'production', APP_URL: 'http://localhost:3100' })).toBe(false)
    expect(isHttpsDeployment({ NODE_ENV: 'production' })).toBe(false)
    expect(isHttpsDeployment({ NODE_ENV: 'development', APP_URL: 'https://app.conversa.example' })).toBe(false)
  })
})
