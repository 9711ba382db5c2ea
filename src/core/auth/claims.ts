// The JWT claims every request carries, in Supabase Auth's shape, whichever provider issued them.
import { z } from 'zod'

export const jwtClaimsSchema = z.object({
  sub: z.string().uuid(),
  email: z.string().email(),
  role: z.literal('authenticated'),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number().int(),
  iat: z.number().int().optional(),
  iss: z.string().optional(),
  session_id: z.string().optional(),
  app_metadata: z.object({ platform_admin: z.boolean().optional() }).passthrough().default({}),
  user_metadata: z.object({ full_name: z.string().optional() }).passthrough().default({}),
})

export type JwtClaims = z.infer<typeof jwtClaimsSchema>

export const isPlatformAdmin = (claims: JwtClaims) => claims.app_metadata.platform_admin === true
