// The one place where environment variables are read and adapters are chosen.
// Parsed lazily so `next build` never needs runtime secrets.
import ipaddr from 'ipaddr.js'
import { z } from 'zod'

/** The Graph API version called unless META_GRAPH_VERSION says otherwise. */
export const DEFAULT_GRAPH_VERSION = 'v23.0'

// A bare host name or IP address (IPv6 with or without brackets): what OUTBOUND_ALLOW_PRIVATE_HOSTS lists.
const isHostEntry = (h: string) => ipaddr.isValid(h.replace(/^\[(.*)\]$/, '$1')) || /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(h)

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z.string().url(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
    // Bounds on each statement, lock wait and idle open transaction of the app and the worker (0 = none),
    // so one runaway cannot hold locks and connections every workspace needs; see create-db.ts.
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
    DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
    // Named prepared statements (one round trip per query instead of two); auto: on, except through
    // Supabase's transaction pooler (port 6543), which cannot keep them. See create-db.ts.
    DB_PREPARED_STATEMENTS: z.enum(['auto', 'on', 'off']).default('auto'),
    APP_URL: z.string().url().default('http://localhost:3000'),
    // Auth: "local" issues Supabase-shaped JWTs itself; "supabase" signs in through Supabase Auth.
    AUTH_PROVIDER: z.enum(['local', 'supabase']).default('local'),
    SUPABASE_URL: z.string().url().optional(),
    SUPABASE_ANON_KEY: z.string().min(1).optional(),
    // Verification: an HS256 secret (Supabase legacy JWT secret, or the local provider's) or a JWKS URL.
    JWT_SECRET: z.string().min(32).optional(),
    JWT_JWKS_URL: z.string().url().optional(),
    // Local provider: an access JWT lives 15 minutes; the session behind it (refresh token) 30 days.
    // How many proxies in front of the app append to X-Forwarded-For (Vercel: 1); see client-ip.ts.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(15 * 60),
    SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(300).default(60 * 60 * 24 * 30),
    // 32 bytes, base64: the AES-256-GCM key for secrets at rest (access tokens, webhook secrets).
    ENCRYPTION_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64'),
    // Meta Cloud API: the Graph base URL is the emulator locally; the app secret signs webhooks.
    META_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com'),
    META_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/).default(DEFAULT_GRAPH_VERSION),
    META_APP_SECRET: z.string().min(16),
    META_VERIFY_TOKEN: z.string().min(8),
    WEBHOOK_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(3_000_000),
    // Media storage: the filesystem (local, self-hosted) or a Supabase Storage bucket.
    STORAGE_DRIVER: z.enum(['filesystem', 'supabase']).default('filesystem'),
    STORAGE_DIR: z.string().default('.data/media'),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
    STORAGE_BUCKET: z.string().default('media'),
    // Send engine: queues, pacing and breakers in Upstash Redis (REST) or, by default, in Postgres.
    QUEUE_DRIVER: z.enum(['postgres', 'upstash']).optional(),
    UPSTASH_REDIS_REST_URL: z.string().url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    SEND_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
    // How long a claimed job stays invisible: a dead worker's jobs return to the queue after this.
    SEND_VISIBILITY_MS: z.coerce.number().int().min(1_000).default(60_000),
    SEND_RATE_HEADROOM: z.coerce.number().min(0).max(0.5).default(0.01),
    SEND_PAIR_INTERVAL_MS: z.coerce.number().int().min(0).default(6_000),
    SEND_PAIR_BURST: z.coerce.number().int().min(1).max(45).default(5),
    // A send whose worker died mid-call waits this long for Meta's status webhook before it is tried again.
    SEND_IN_DOUBT_MS: z.coerce.number().int().min(1_000).default(60_000),
    // Failed sign-ins (src/core/auth/sign-in-throttle.ts): budgets per email+address and per address that
    // refill every window; a spent budget locks out for a window, doubling on each repeat within a day.
    // Kept in Upstash Redis when configured (as the send engine), else in Postgres.
    SIGN_IN_THROTTLE_DRIVER: z.enum(['postgres', 'upstash']).optional(),
    SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    SIGN_IN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(50),
    SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
    SIGN_IN_MAX_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(24 * 60 * 60),
    // QStash: where scheduled work is registered (the stand-in locally) and the token to do it with.
    QSTASH_URL: z.string().url().default('https://qstash.upstash.io'),
    QSTASH_TOKEN: z.string().min(1).optional(),
    // QStash signs the scheduled calls it delivers (e.g. stuck-job recovery); both keys during rotation.
    QSTASH_CURRENT_SIGNING_KEY: z.string().min(16).optional(),
    QSTASH_NEXT_SIGNING_KEY: z.string().min(16).optional(),
    // Bearer token for the ops API (queue stats and actions); platform admins may use their session.
    OPS_TOKEN: z.string().min(32).optional(),
    // Web push (VAPID): the key pair that signs notifications to members' browsers; off when unset.
    VAPID_PUBLIC_KEY: z.string().min(40).optional(),
    VAPID_PRIVATE_KEY: z.string().min(20).optional(),
    VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/, 'a mailto: or https: URL').default('mailto:push@conversa.app'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Hosts exempt from the outbound URL guard's public-address rule (src/server/net), comma-separated:
    // only for local receivers in tests and development; refused in production.
    OUTBOUND_ALLOW_PRIVATE_HOSTS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((h) => h.trim()).filter(Boolean))
      .pipe(z.array(z.string().refine(isHostEntry, 'host names or IP addresses, without scheme or port'))),
  })
  .superRefine((env, ctx) => {
    if (!env.JWT_SECRET && !env.JWT_JWKS_URL)
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET or JWT_JWKS_URL' })
    if (env.AUTH_PROVIDER === 'local' && !env.JWT_SECRET)
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'the local auth provider signs with JWT_SECRET' })
    if (env.AUTH_PROVIDER === 'supabase' && (!env.SUPABASE_URL || !env.SUPABASE_ANON_KEY))
      ctx.addIssue({ code: 'custom', path: ['SUPABASE_URL'], message: 'the supabase auth provider needs SUPABASE_URL and SUPABASE_ANON_KEY' })
    if (env.STORAGE_DRIVER === 'supabase' && (!env.SUPABASE_URL || !env.SUPABASE_SERVICE_ROLE_KEY))
      ctx.addIssue({ code: 'custom', path: ['SUPABASE_SERVICE_ROLE_KEY'], message: 'Supabase Storage needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY' })
    if (env.QUEUE_DRIVER === 'upstash' && (!env.UPSTASH_REDIS_REST_URL || !env.UPSTASH_REDIS_REST_TOKEN))
      ctx.addIssue({ code: 'custom', path: ['UPSTASH_REDIS_REST_URL'], message: 'the upstash queue driver needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN' })
    if (env.SIGN_IN_THROTTLE_DRIVER === 'upstash' && (!env.UPSTASH_REDIS_REST_URL || !env.UPSTASH_REDIS_REST_TOKEN))
      ctx.addIssue({ code: 'custom', path: ['UPSTASH_REDIS_REST_URL'], message: 'the upstash sign-in throttle needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN' })
    if (env.NODE_ENV === 'production' && env.OUTBOUND_ALLOW_PRIVATE_HOSTS.length > 0)
      ctx.addIssue({ code: 'custom', path: ['OUTBOUND_ALLOW_PRIVATE_HOSTS'], message: 'must be empty in production: it lets the server reach private addresses' })
  })

export type Config = z.infer<typeof schema>

let cached: Config | undefined

export function config(): Config {
  if (cached) return cached
  const parsed = schema.safeParse(process.env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${problems}`)
  }
  cached = parsed.data
  return cached
}
