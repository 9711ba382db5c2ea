import { describe, expect, it } from 'vitest'
import { readJsonBody } from '@/server/http/read-body'

const request = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://localhost/api/x', { method: 'POST', body, headers })

const statusOf = (p: Promise<unknown>) => p.then(() => 200, (e) => e.status as number)

describe('reading a JSON body', () => {
  it('parses JSON within the limit', async () => {
    expect(await readJsonBody(request('{"a":1}'), 100)).toEqual({ a: 1 })
  })

  it('answers 413 for a body over the limit, even without a content-length', async () => {
    expect(await statusOf(readJsonBody(request(JSON.stringify({ a: 'x'.repeat(200) })), 100))).toBe(413)
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x'.repeat(500))), c.close()) })
    const chunked = new Request('http://localhost/api/x', { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit)
    expect(await statusOf(readJsonBody(chunked, 100))).toBe(413)
  })

  it('answers 415 for a non-JSON content type and 400 for malformed JSON', async () => {
    expect(await statusOf(readJsonBody(request('a=1', { 'content-type': 'application/x-www-form-urlencoded' })))).toBe(415)
    expect(await statusOf(readJsonBody(request('{"a":')))).toBe(400)
  })
})
