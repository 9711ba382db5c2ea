// Deeply nested JSON against the real route handlers, on whichever database the caller set up: a
// signed webhook and a JSON-storing API route must answer a clean 4xx before any database work, lose
// nothing stored, and leave the database answering (PGlite once spun at 100 % CPU on 50k levels).
import { NextRequest } from 'next/server'
import { expect, it } from 'vitest'
import { signWebhookBody } from '@/core/whatsapp/webhook-signature'
import type { Db } from '@/server/db/create-db'
import { DEFAULT_MAX_BODY_BYTES } from '@/server/http/read-body'
import { sessionToken, type RouteHandler } from '../../integration/support/route-environment'
import type { SeededTenant } from '../../integration/support/seed-tenant'

export const SHAPES = {
  arrays: (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`,
  objects: (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`,
}
const LEVELS = [50_000, 200_000]
const HANG = 5_000

interface Setup {
  db: () => Db
  tenant: () => SeededTenant
}

async function routes() {
  return {
    webhook: (await import('@/app/api/whatsapp/webhook/route')) as unknown as { POST: RouteHandler },
    campaigns: (await import('@/app/api/campaigns/route')) as unknown as { POST: RouteHandler },
    health: (await import('@/app/api/health/route')) as unknown as { GET: RouteHandler },
  }
}

const post = (handler: RouteHandler, path: string, body: string, headers: Record<string, string>) =>
  handler(new NextRequest(`http://localhost${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }), {
    params: Promise.resolve({}),
  })

/** Fails (rather than hanging the suite) when the database no longer answers. */
async function answersHealth() {
  const { health } = await routes()
  const res = await Promise.race([
    health.GET(new NextRequest('http://localhost/api/health'), { params: Promise.resolve({}) }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`/api/health did not answer within ${HANG} ms`)), HANG)),
  ])
  expect(res.status).toBe(200)
}

const counts = async (db: Db, tenantId: string) =>
  (await db.sql`
    select (select count(*)::int from public.webhook_events) as events,
           (select count(*)::int from public.campaigns where tenant_id = ${tenantId}) as campaigns,
           (select count(*)::int from public.messages where tenant_id = ${tenantId}) as messages`)[0]

export function deepJsonProbes({ db, tenant }: Setup) {
  for (const [shape, make] of Object.entries(SHAPES)) {
    for (const levels of LEVELS) {
      it(`a signed webhook nested ${levels.toLocaleString('en')} levels of ${shape} gets 400 and stores nothing`, async () => {
        const { webhook } = await routes()
        const before = await counts(db(), tenant().tenantId)
        const body = `{"object":"whatsapp_business_account","entry":${make(levels)}}`
        const res = await post(webhook.POST, '/api/whatsapp/webhook', body, { 'x-hub-signature-256': signWebhookBody(body, process.env.META_APP_SECRET!) })
        expect(res.status).toBe(400)
        expect((await res.json()).error.code).toBe('bad_request')
        expect(await counts(db(), tenant().tenantId)).toEqual(before)
        await answersHealth()
      })

      it(`an API body nested ${levels.toLocaleString('en')} levels of ${shape} gets 422 naming the field (413 past the size cap), and stores nothing`, async () => {
        const { campaigns } = await routes()
        const before = await counts(db(), tenant().tenantId)
        const body = `{"name":"deep","variables":${make(levels)}}`
        const res = await post(campaigns.POST, '/api/campaigns', body, { authorization: `Bearer ${await sessionToken(tenant().claims)}` })
        const { error } = await res.json()
        if (body.length > DEFAULT_MAX_BODY_BYTES) {
          expect([res.status, error.code]).toEqual([413, 'payload_too_large'])
        } else {
          expect([res.status, error.code]).toEqual([422, 'validation_failed'])
          // The body object is level 1: the 65th container opens 63 levels below `variables`.
          expect(error.details[0].path).toMatch(shape === 'arrays' ? /^variables(\.0){63}$/ : /^variables(\.a){63}$/)
        }
        expect(await counts(db(), tenant().tenantId)).toEqual(before)
        await answersHealth()
      })
    }
  }

  it('still stores a signed webhook of ordinary depth afterwards', async () => {
    const { receiveWebhook } = await import('@/server/whatsapp/receive-webhook')
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { a: [[{ b: 1 }]] } }] }] })
    const req = new Request('http://localhost/api/whatsapp/webhook', { method: 'POST', body, headers: { 'x-hub-signature-256': signWebhookBody(body, process.env.META_APP_SECRET!) } })
    const id = await receiveWebhook(req, 'deep-json-test')
    const [row] = await db().sql`select payload from public.webhook_events where id = ${id}`
    expect(row!.payload).toEqual(JSON.parse(body))
  })
}
