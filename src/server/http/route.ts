// The one wrapper every route handler goes through: request id, CSRF check, body size + JSON + zod,
// session and tenant resolution, the RLS transaction, role checks and error mapping.
import { randomUUID } from 'node:crypto'
import { NextResponse, type NextRequest } from 'next/server'
import type { TransactionSql } from 'postgres'
import type { z } from 'zod'
import type { JwtClaims } from '@/core/auth/claims'
import { isPlatformAdmin } from '@/core/auth/claims'
import { forbidden } from '@/core/errors/app-error'
import { parseInput } from '@/core/errors/parse-input'
import { atLeast, type Role } from '@/core/tenancy/roles'
import { db } from '@/server/db/db'
import { errorResponse } from './error-response'
import { authorizeOps } from './ops-auth'
import { readJsonBody } from './read-body'
import { resolveSession, resolveSessionOrApiKey } from './resolve-session'
import { resolveApiKeyTenant, resolveTenant, type ActiveTenant } from './resolve-tenant'
import { ACCESS_COOKIE, setSessionCookies, TENANT_COOKIE } from './session-cookies'

type Params = Record<string, string | string[] | undefined>

interface BaseContext<B> {
  req: NextRequest
  /** The validated JSON body of a mutation, or the validated query string of a read. */
  input: B
  params: Params
  requestId: string
}
export interface UserContext<B> extends BaseContext<B> {
  claims: JwtClaims
  tx: TransactionSql
}
export interface TenantContext<B> extends UserContext<B> {
  tenant: ActiveTenant
}

interface Options<S extends z.ZodType | undefined> {
  input?: S
  /** How invalid input is answered: 422 (default) or 400. */
  inputError?: 'validation_failed' | 'bad_request'
  maxBodyBytes?: number
}
type Body<S> = S extends z.ZodType ? z.infer<S> : undefined
type NextHandler = (req: NextRequest, ctx: { params: Promise<Params> }) => Promise<Response>

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

// Cookie-authenticated mutations must come from our own pages: SameSite=Lax plus an Origin check.
// An Origin that is not a URL (`foo`, `http://[::1`) or is `null` is as foreign as another site's.
function assertSameOrigin(req: NextRequest) {
  if (!MUTATING.has(req.method)) return
  const origin = req.headers.get('origin')
  const site = req.headers.get('sec-fetch-site')
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host')
  if (site === 'cross-site' || (origin !== null && originHost(origin) !== host)) throw forbidden('Cross-site requests are not allowed')
}

function originHost(origin: string): string | undefined {
  if (!URL.canParse(origin)) return undefined
  return new URL(origin).host
}

function toResponse(result: unknown): Response {
  return result instanceof Response ? result : NextResponse.json(result ?? { ok: true })
}

async function prepare<S extends z.ZodType | undefined>(req: NextRequest, options: Options<S>): Promise<Body<S>> {
  assertSameOrigin(req)
  if (!options.input) return undefined as Body<S>
  const raw = MUTATING.has(req.method) ? await readJsonBody(req, options.maxBodyBytes) : Object.fromEntries(req.nextUrl.searchParams)
  return parseInput(options.input, raw ?? {}, options.inputError) as Body<S>
}

function wrap(run: (req: NextRequest, params: Params, requestId: string) => Promise<Response>): NextHandler {
  return async (req, ctx) => {
    const requestId = req.headers.get('x-request-id') ?? randomUUID()
    try {
      const response = await run(req, (await ctx?.params) ?? {}, requestId)
      response.headers.set('x-request-id', requestId)
      return response
    } catch (error) {
      return errorResponse(error, requestId)
    }
  }
}

/** No session needed (sign-up, sign-in, health). */
export function publicRoute<S extends z.ZodType | undefined = undefined>(
  options: Options<S>,
  handler: (ctx: BaseContext<Body<S>>) => Promise<unknown>,
): NextHandler {
  return wrap(async (req, params, requestId) => toResponse(await handler({ req, input: await prepare(req, options), params, requestId })))
}

/** Ops endpoints: the ops bearer token or a platform admin, checked before the input is read. */
export function opsRoute<S extends z.ZodType | undefined = undefined>(
  options: Options<S>,
  handler: (ctx: BaseContext<Body<S>>) => Promise<unknown>,
): NextHandler {
  return wrap(async (req, params, requestId) => {
    await authorizeOps(req)
    return toResponse(await handler({ req, input: await prepare(req, options), params, requestId }))
  })
}

/** A signed-in user, inside one RLS transaction; `platformAdmin` restricts it to platform admins. */
export function userRoute<S extends z.ZodType | undefined = undefined>(
  options: Options<S> & { platformAdmin?: boolean },
  handler: (ctx: UserContext<Body<S>>) => Promise<unknown>,
): NextHandler {
  return wrap(async (req, params, requestId) => {
    const session = await resolveSession(req.headers, req.cookies)
    if (options.platformAdmin && !isPlatformAdmin(session.claims)) throw forbidden('Platform administrators only')
    const input = await prepare(req, options)
    const result = await db().withUser(session.claims, (tx) => handler({ req, input, params, requestId, claims: session.claims, tx }))
    return withRenewedCookies(toResponse(result), session.renewed)
  })
}

/** A signed-in user acting on their own account through the auth provider, which opens its own transactions. */
export function accountRoute<S extends z.ZodType | undefined = undefined>(
  options: Options<S>,
  handler: (ctx: BaseContext<Body<S>> & { claims: JwtClaims }) => Promise<unknown>,
): NextHandler {
  return wrap(async (req, params, requestId) => {
    const session = await resolveSession(req.headers, req.cookies)
    const input = await prepare(req, options)
    return withRenewedCookies(toResponse(await handler({ req, input, params, requestId, claims: session.claims })), session.renewed)
  })
}

/** A member of the active workspace (or an API key of it) with at least `minRole`, inside one RLS transaction. */
export function tenantRoute<S extends z.ZodType | undefined = undefined>(
  options: Options<S> & { minRole?: Role; /** Members, invitations and keys are managed by people only. */ peopleOnly?: boolean },
  handler: (ctx: TenantContext<Body<S>>) => Promise<unknown>,
): NextHandler {
  return wrap(async (req, params, requestId) => {
    const session = await resolveSessionOrApiKey(req.headers, req.cookies)
    // A key acts as its creator, so "acting on oneself" (leaving, for one) would be acting on them.
    if (options.peopleOnly && session.apiKey) throw forbidden('API keys cannot manage members, invitations or API keys')
    const input = await prepare(req, options)
    const header = req.headers.get('x-tenant-id') ?? undefined
    const requested = header ?? req.cookies.get(TENANT_COOKIE)?.value
    const result = await db().withUser(session.claims, async (tx) => {
      const tenant = session.apiKey ? await resolveApiKeyTenant(tx, session.apiKey, header) : await resolveTenant(tx, requested, header !== undefined)
      if (options.minRole && !atLeast(tenant.role, options.minRole))
        throw forbidden(`This needs the ${options.minRole} role or higher`)
      return handler({ req, input, params, requestId, claims: session.claims, tx, tenant })
    })
    return withRenewedCookies(toResponse(result), session.renewed)
  })
}

// Renewed cookies must reach the browser on every kind of answer (streams too): a rotated refresh
// token that is dropped would look like a replay the next time the old one is presented.
function withRenewedCookies(response: Response, renewed: ResolvedRenewal) {
  if (!renewed) return response
  const res = response instanceof NextResponse ? response : new NextResponse(response.body, response)
  // A handler that set the session cookies itself (a new session, or signing out) has the last word.
  if (!res.cookies.has(ACCESS_COOKIE)) setSessionCookies(res, renewed)
  return res
}
type ResolvedRenewal = Awaited<ReturnType<typeof resolveSession>>['renewed']
