// The Content-Security-Policy every page is served with (src/proxy.ts sets it per request): scripts run
// only with the response's nonce, which Next.js stamps on its own scripts; everything else is this origin.

export interface ContentSecurityPolicyOptions {
  /** Fresh per response (createNonce); Next.js reads it back from the request's CSP header. */
  nonce: string
  /** `next dev`: React rebuilds server error stacks in the browser with eval. */
  dev: boolean
  /** Served over https: the browser upgrades any stray http:// subresource. Off for http://localhost. */
  https: boolean
  /** The Supabase project URL when browsers subscribe to Supabase Realtime themselves. */
  supabaseUrl?: string
}

const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/

export function buildContentSecurityPolicy({ nonce, dev, https, supabaseUrl }: ContentSecurityPolicyOptions): string {
  // The nonce lands in a header: anything but base64 would let a caller inject directives.
  if (!NONCE.test(nonce)) throw new Error('A CSP nonce is at least 16 base64 characters')
  const directives: string[][] = [
    ['default-src', "'self'"],
    // 'strict-dynamic': the chunks Next.js's nonced runtime loads are trusted; host lists are ignored.
    ['script-src', "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    // Styles: server-rendered style attributes (progress bars, the virtual conversation list, recharts) and
    // sonner's injected <style> need 'unsafe-inline' — the usual accepted compromise, since CSS cannot run
    // script. No nonce here on purpose: a nonce makes browsers ignore 'unsafe-inline'.
    ['style-src', "'self'", "'unsafe-inline'"],
    // Media is served by /api/media (same origin); data: and blob: for icons and local previews.
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    // 'self' covers the API, the /api/realtime event stream and, in dev, the HMR websocket.
    ['connect-src', "'self'", ...(supabaseUrl ? supabaseOrigins(supabaseUrl) : [])],
    // The push service worker (public/sw.js) and the web app manifest.
    ['worker-src', "'self'"],
    ['manifest-src', "'self'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['object-src', "'none'"],
    ...(https ? [['upgrade-insecure-requests']] : []),
  ]
  return directives.map((d) => d.join(' ')).join('; ')
}

/** Supabase Realtime is a websocket on the project's host (wss:// for https://); its REST calls use the origin. */
function supabaseOrigins(url: string): string[] {
  const { protocol, host, origin } = new URL(url)
  return [origin, `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}`]
}

/** 128 random bits, base64: unguessable and new for every response. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
}

/**
 * HSTS and upgrade-insecure-requests only for a production deployment whose public URL is https: the
 * end-to-end stack runs production over http://localhost, where both would break every request.
 */
export function isHttpsDeployment(env: { NODE_ENV?: string; APP_URL?: string }): boolean {
  return env.NODE_ENV === 'production' && env.APP_URL?.startsWith('https://') === true
}
