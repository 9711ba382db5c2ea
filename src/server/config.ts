// The one place where environment variables are read and adapters are chosen.
// Parsed lazily so `next build` never needs runtime secrets.
import { z } from 'zod'

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z.string().url(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
    APP_URL: z.string().url().default('http://localhost:3000'),
    // Auth: "local" issues Supabase-shaped JWTs itself; "supabase" signs in through Supabase Auth.
    AUTH_PROVIDER: z.enum(['local', 'supabase']).default('local'),
    SUPABASE_URL: z.string().url().optional(),
    SUPABASE_ANON_KEY: z.string().min(1).optional(),
    // Verification: an HS256 secret (Supabase legacy JWT secret, or the local provider's) or a JWKS URL.
    JWT_SECRET: z.string().min(32).optional(),
    JWT_JWKS_URL: z.string().url().optional(),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(60 * 60 * 24 * 7),
    // 32 bytes, base64: the AES-256-GCM key for secrets at rest (access tokens, webhook secrets).
    ENCRYPTION_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64'),
    // Meta Cloud API: the Graph base URL is the emulator locally; the app secret signs webhooks.
    META_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com'),
    META_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v23.0'),
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
    SEND_RATE_HEADROOM: z.coerce.number().min(0).max(0.5).default(0.025),
    SEND_PAIR_INTERVAL_MS: z.coerce.number().int().min(0).default(6_000),
    SEND_PAIR_BURST: z.coerce.number().int().min(1).max(45).default(5),
    // A send whose worker died mid-call waits this long for Meta's status webhook before it is tried again.
    SEND_IN_DOUBT_MS: z.coerce.number().int().min(1_000).default(60_000),
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
