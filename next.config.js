// Next.js configuration: server-only packages stay external so their native/wasm parts load at runtime.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['postgres', 'pino', '@electric-sql/pglite', '@electric-sql/pglite-socket'],
  poweredByHeader: false,
  typedRoutes: false,
}

export default nextConfig
