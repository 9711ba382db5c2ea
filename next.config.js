// Next.js configuration: server-only packages stay external so their native/wasm parts load at runtime.

// Security headers that do not change per request, on every answer (pages, API, static files). The
// nonce-based Content-Security-Policy and HSTS are set per request by src/proxy.ts, for pages only.
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // Nothing in the app uses these (the composer sends files, it records no voice notes); `()` denies
  // them to the app and to anything it could embed.
  {
    key: 'Permissions-Policy',
    value: 'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()',
  },
  // frame-ancestors 'none' in the CSP does the same for current browsers.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
]

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['postgres', 'pino', 'undici', '@electric-sql/pglite', '@electric-sql/pglite-socket'],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }]
  },
}

export default nextConfig
