// The Graph client's WABA calls that prove a number's ownership: the WABA's phone number list (followed
// through its cursor) and the app subscription, against a fake fetch that records what was asked.
import { describe, expect, it } from 'vitest'
import { createGraphClient } from '@/core/whatsapp/graph-client'
import { GraphApiError } from '@/core/whatsapp/graph-errors'

const TOKEN = 'EAAGwabaTOKEN0123456789abcdefSECRET'
const BASE = 'https://graph.example.test'

type Asked = { method: string; url: URL; authorization: string | null }

function fakeGraph(answer: (asked: Asked) => { status?: number; json: unknown }) {
  const asked: Asked[] = []
  const fetch = (async (input: URL | RequestInfo, init?: RequestInit) => {
    const request: Asked = {
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      authorization: new Headers(init?.headers).get('authorization'),
    }
    asked.push(request)
    const { status = 200, json } = answer(request)
    return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof globalThis.fetch
  return { asked, client: createGraphClient({ baseUrl: BASE, version: 'v23.0', fetch }) }
}

describe("Graph client: a WABA's numbers and the app subscription", () => {
  it("lists a WABA's phone numbers page by page through the cursor, never echoing the token from the next link", async () => {
    const pages = [
      { data: [{ id: '106540352242922', display_phone_number: '+1 555-010-0001', throughput: { level: 'STANDARD' } }], after: 'c1' },
      { data: [{ id: '108374652019283', verified_name: 'Demo Coffee Co.' }], after: 'c2' },
    ]
    const { asked, client } = fakeGraph(({ url }) => {
      const index = ['', 'c1'].indexOf(url.searchParams.get('after') ?? '')
      const page = pages[index]!
      const next = index === 0 ? { next: `${BASE}/v23.0/104857293847561/phone_numbers?access_token=${TOKEN}&after=c1` } : {}
      return { json: { data: page.data, paging: { cursors: { before: 'b', after: page.after }, ...next } } }
    })
    const numbers = await client.listWabaPhoneNumbers('104857293847561', TOKEN)

    expect(numbers.map((n) => n.id)).toEqual(['106540352242922', '108374652019283'])
    expect(numbers[0]).toMatchObject({ displayPhoneNumber: '+1 555-010-0001', throughput: { level: 'STANDARD' }, verifiedName: null })
    expect(asked.map((a) => a.url.searchParams.get('after'))).toEqual([null, 'c1'])
    for (const a of asked) {
      expect(a.url.pathname).toBe('/v23.0/104857293847561/phone_numbers')
      expect(a.url.searchParams.get('fields')).toContain('id,display_phone_number')
      expect(a.url.searchParams.get('access_token')).toBeNull()
      expect(a.authorization).toBe(`Bearer ${TOKEN}`)
    }
  })

  it('stops listing when Meta repeats a cursor', async () => {
    const { asked, client } = fakeGraph(() => ({
      json: { data: [{ id: '1' }], paging: { cursors: { after: 'same' }, next: `${BASE}/next?after=same` } },
    }))
    expect(await client.listWabaPhoneNumbers('1048', TOKEN)).toHaveLength(2)
    expect(asked).toHaveLength(2)
  })

  it("classifies Meta's refusal to show the WABA (100/33) and a permission error (200)", async () => {
    const hidden = fakeGraph(() => ({
      status: 400,
      json: { error: { message: "Unsupported get request. Object with ID '1048' does not exist", type: 'GraphMethodException', code: 100, error_subcode: 33 } },
    }))
    const notFound = await hidden.client.listWabaPhoneNumbers('1048', TOKEN).catch((e: unknown) => e)
    expect(notFound).toBeInstanceOf(GraphApiError)
    expect((notFound as GraphApiError).info).toMatchObject({ code: 100, subcode: 33, kind: 'permanent' })

    const denied = fakeGraph(() => ({ status: 403, json: { error: { message: '(#200) Permissions error', type: 'OAuthException', code: 200 } } }))
    const permission = await denied.client.subscribeApp('1048', TOKEN).catch((e: unknown) => e)
    expect((permission as GraphApiError).info).toMatchObject({ code: 200, kind: 'auth', title: 'Permissions error' })
  })

  it('subscribes the app with a bodiless POST and accepts only success: true', async () => {
    const ok = fakeGraph(() => ({ json: { success: true } }))
    await ok.client.subscribeApp('104857293847561', TOKEN)
    expect(ok.asked).toEqual([{ method: 'POST', url: new URL(`${BASE}/v23.0/104857293847561/subscribed_apps`), authorization: `Bearer ${TOKEN}` }])

    const refused = fakeGraph(() => ({ json: { success: false } }))
    await expect(refused.client.subscribeApp('104857293847561', TOKEN)).rejects.toBeInstanceOf(GraphApiError)
  })
})
