// The Upstash REST bridge (dev/upstash-bridge) driven by the real `@upstash/redis` client, plus raw
// HTTP for the exact wire shapes. It needs the local Redis (127.0.0.1:6379) and uses only database 13,
// which it flushes before and after.
import { randomUUID } from 'node:crypto'
import { Redis, errors } from '@upstash/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startUpstashBridge, type UpstashBridge } from '../../dev/upstash-bridge/server'

const REDIS_URL = process.env.UPSTASH_BRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/13'
const TOKEN = 'bridge-test-token'

let bridge: UpstashBridge
let redis: Redis

interface SentRequest {
  path: string
  body: unknown
  status: number
}

// Records what the client puts on the wire while still sending it.
function recordFetches(): SentRequest[] {
  const sent: SentRequest[] = []
  const realFetch = globalThis.fetch
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const response = await realFetch(input, init)
    const url = new URL(input instanceof Request ? input.url : String(input))
    sent.push({ path: url.pathname, body: JSON.parse(String(init?.body ?? 'null')), status: response.status })
    return response
  })
  return sent
}

// Every command in the recorded requests, flattened across single requests and pipelines.
const commandsIn = (sent: SentRequest[]) =>
  sent.flatMap(({ path, body }) => (path === '/' ? [body as unknown[]] : (body as unknown[][]))).map((command) => String(command[0]))

async function raw(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; base64?: boolean } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...init.headers }
  if (init.base64 ?? true) headers['upstash-encoding'] = 'base64'
  const body = init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? new Uint8Array(init.body) : JSON.stringify(init.body)
  const response = await fetch(`${bridge.url}${path}`, { method: init.method ?? 'POST', headers, body })
  return { status: response.status, text: await response.text(), syncToken: response.headers.get('upstash-sync-token') }
}

beforeAll(async () => {
  bridge = await startUpstashBridge({ port: 0, redisUrl: REDIS_URL, token: TOKEN })
  redis = new Redis({ url: bridge.url, token: TOKEN })
  await redis.flushdb()
})

afterEach(() => {
  vi.restoreAllMocks()
})

afterAll(async () => {
  await redis?.flushdb()
  await bridge?.stop()
})

describe('values through @upstash/redis', () => {
  it('round-trips numbers, booleans and objects with automatic deserialization', async () => {
    await redis.set('v:int', 42)
    await redis.set('v:float', 3.25)
    await redis.set('v:true', true)
    await redis.set('v:object', { name: 'Ana', tags: ['a', 'b'], nested: { n: 1 } })
    expect(await redis.get('v:int')).toBe(42)
    expect(await redis.get('v:float')).toBe(3.25)
    expect(await redis.get('v:true')).toBe(true)
    expect(await redis.get('v:object')).toEqual({ name: 'Ana', tags: ['a', 'b'], nested: { n: 1 } })
    expect(await redis.get('v:missing')).toBeNull()
    expect(await redis.incr('v:int')).toBe(43)
    expect(await redis.mget('v:int', 'v:true', 'v:missing')).toEqual([43, true, null])
  })

  it('round-trips unicode strings, also without base64 response encoding', async () => {
    const text = 'héllo wörld — 你好 😀 \u0000 tab\tquote"'
    await redis.set('v:unicode', text)
    expect(await redis.get('v:unicode')).toBe(text)
    const plain = new Redis({ url: bridge.url, token: TOKEN, responseEncoding: false })
    expect(await plain.get('v:unicode')).toBe(text)
    expect(await plain.lpush('v:list', 'ü', 'ß')).toBe(2)
    expect(await plain.lrange('v:list', 0, -1)).toEqual(['ß', 'ü'])
  })

  it('keeps binary values byte for byte (raw body in, base64 out)', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x0d, 0x80, 0xc3, 0x28, 0x7f])
    expect((await raw('/set/v:binary', { body: bytes })).text).toBe('{"result":"OK"}')
    expect(await redis.strlen('v:binary')).toBe(bytes.length)
    const { text } = await raw('/', { body: ['get', 'v:binary'] })
    expect(Buffer.from((JSON.parse(text) as { result: string }).result, 'base64')).toEqual(bytes)
    // Without the header invalid UTF-8 is replaced, as Upstash does.
    const plain = JSON.parse((await raw('/', { body: ['getrange', 'v:binary', 5, 5], base64: false })).text) as { result: string }
    expect(plain.result).toBe('\ufffd')
  })

  it('answers "OK" for status replies, alone and inside pipelines, transactions and arrays', async () => {
    expect(await redis.set('ok:a', 'x')).toBe('OK')
    expect(await redis.mset({ 'ok:b': 1, 'ok:c': 2 })).toBe('OK')
    expect(await redis.pipeline().set('ok:d', 1).set('ok:e', 2).exec()).toEqual(['OK', 'OK'])
    expect(await redis.multi().set('ok:f', 1).get('ok:f').exec()).toEqual(['OK', 1])
    expect(await redis.eval('return {redis.status_reply("OK"), "OK", 1}', [], [])).toEqual(['OK', 'OK', 1])
    // A stored value "OK" reads back as the string either way.
    expect(await redis.get('ok:missing')).toBeNull()
    await redis.set('ok:value', 'OK')
    expect(await redis.get('ok:value')).toBe('OK')
  })
})

describe('pipelines and transactions', () => {
  it('auto-pipelines commands issued in one tick into a single /pipeline request', async () => {
    const sent = recordFetches()
    const keys = Array.from({ length: 40 }, (_, i) => `auto:${i}`)
    const written = await Promise.all(keys.map((key, i) => redis.set(key, i)))
    expect(written).toEqual(keys.map(() => 'OK'))
    const read = await Promise.all(keys.map((key) => redis.get(key)))
    expect(read).toEqual(keys.map((_, i) => i))
    expect(sent.map(({ path, status }) => [path, status])).toEqual([
      ['/pipeline', 200],
      ['/pipeline', 200],
    ])
    expect((sent[0]?.body as unknown[]).length).toBe(40)
  })

  it('keeps per-command errors of an explicit pipeline and carries on after them', async () => {
    const results = await redis.pipeline().set('p:s', 'text').incr('p:s').get('p:s').incr('p:n').exec({ keepErrors: true })
    expect(results.map((r) => r.result)).toEqual(['OK', undefined, 'text', 1])
    expect(results[1]?.error).toBe('ERR value is not an integer or out of range')
    await expect(redis.pipeline().get('p:s').incr('p:s').exec()).rejects.toThrow('Command 2 [ incr ] failed: ERR value is not an integer')
  })

  it('runs MULTI transactions atomically under concurrency', async () => {
    const rounds = 25
    const clients = [new Redis({ url: bridge.url, token: TOKEN }), new Redis({ url: bridge.url, token: TOKEN })]
    const loops = clients.map(async (client) => {
      for (let i = 0; i < rounds; i++) {
        const [first, second, read] = await client.multi().incr('tx:counter').incr('tx:counter').get<number>('tx:counter').exec()
        // Nothing from the other loop may land between the commands of one transaction.
        expect(second).toBe(first + 1)
        expect(read).toBe(second)
      }
    })
    await Promise.all(loops)
    expect(await redis.get('tx:counter')).toBe(clients.length * rounds * 2)
  })

  it('fails a runtime error alone inside a transaction but discards one rejected while queueing', async () => {
    await redis.set('tx:text', 'abc')
    const results = await redis.multi().incr('tx:text').set('tx:after', 1).exec({ keepErrors: true })
    expect(results[0]?.error).toBe('ERR value is not an integer or out of range')
    expect(results[1]?.result).toBe('OK')
    const discarded = await raw('/multi-exec', { body: [['set', 'tx:never', 1], ['get']] })
    expect(discarded.status).toBe(400)
    expect(JSON.parse(discarded.text)).toEqual({ error: "ERR wrong number of arguments for 'get' command" })
    expect(await redis.exists('tx:never')).toBe(0)
    const refused = await raw('/multi-exec', { body: [['set', 'tx:never', 1], ['blpop', 'q', 0]] })
    expect(refused.status).toBe(400)
    expect(await redis.exists('tx:never')).toBe(0)
  })
})

describe('scripts', () => {
  it('createScript().exec() falls back from EVALSHA (NOSCRIPT) to EVAL once, then uses EVALSHA', async () => {
    // A unique comment makes a script no earlier run has cached.
    const script = redis.createScript<number>(`-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`)
    const sent = recordFetches()
    expect(await script.exec(['script:n'], ['5'])).toBe(5)
    expect(await script.exec(['script:n'], ['2'])).toBe(7)
    expect(commandsIn(sent).map((name) => name.toLowerCase())).toEqual(['evalsha', 'eval', 'evalsha'])
    const first = await raw('/', { body: ['evalsha', 'a'.repeat(40), 0] })
    expect(first.status).toBe(400)
    expect(JSON.parse(first.text)).toEqual({ error: 'NOSCRIPT No matching script. Please use EVAL.' })
  })

  it('returns nested arrays and integers from EVAL', async () => {
    const result = await redis.eval('return {1, "two", {3, "four", {5, -6}}, KEYS[1], ARGV[1]}', ['k1'], ['arg'])
    expect(result).toEqual([1, 'two', [3, 'four', [5, -6]], 'k1', 'arg'])
    const deep = await raw('/', { body: ['eval', 'return {{1, {"a"}}, {}, 2}', 0] })
    expect(deep.text).toBe('{"result":[[1,["YQ=="]],[],2]}')
  })

  it("accepts Upstash's allow-key-locking script flag, by EVAL and by the SHA-1 of the script as sent", async () => {
    // @upstash/ratelimit's scripts start so; Redis itself refuses the flag.
    const script = redis.createScript<number>(`#!lua flags=allow-key-locking\n-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`)
    const sent = recordFetches()
    expect(await script.exec(['script:flagged'], ['3'])).toBe(3)
    expect(await script.exec(['script:flagged'], ['4'])).toBe(7)
    expect(commandsIn(sent).map((name) => name.toLowerCase())).toEqual(['evalsha', 'eval', 'evalsha'])
    expect(await redis.scriptExists(script.sha1)).toEqual([1])
    // Other flags are kept and still checked by Redis.
    const readOnly = await raw('/', { body: ['eval', `#!lua flags=allow-key-locking,no-writes\nreturn redis.call('SET', KEYS[1], 'x')`, 1, 'script:ro'] })
    expect(readOnly.status).toBe(400)
    expect(readOnly.text).toMatch(/Write commands are not allowed from read-only scripts/)
  })
})

describe('data types', () => {
  it('sorted sets: zadd and zrange with scores', async () => {
    expect(await redis.zadd('z', { score: 2.5, member: 'b' }, { score: 1, member: 'a' }, { score: 10, member: 'c' })).toBe(3)
    expect(await redis.zrange('z', 0, -1)).toEqual(['a', 'b', 'c'])
    expect(await redis.zrange('z', 0, -1, { withScores: true })).toEqual(['a', 1, 'b', 2.5, 'c', 10])
    expect(await redis.zrange('z', 2, 10, { byScore: true })).toEqual(['b', 'c'])
    expect(await redis.zscore('z', 'b')).toBe(2.5)
    expect(await redis.zincrby('z', 0.5, 'a')).toBe(1.5)
    expect(await redis.zrank('z', 'c')).toBe(2)
  })

  it('hashes', async () => {
    expect(await redis.hset('h', { name: 'Ana', age: 31, admin: false, meta: { x: 1 } })).toBe(4)
    expect(await redis.hget('h', 'name')).toBe('Ana')
    expect(await redis.hgetall('h')).toEqual({ name: 'Ana', age: 31, admin: false, meta: { x: 1 } })
    expect(await redis.hincrby('h', 'age', 1)).toBe(32)
    expect(await redis.hmget('h', 'name', 'missing')).toEqual({ name: 'Ana', missing: null })
    expect((await redis.hkeys('h')).sort()).toEqual(['admin', 'age', 'meta', 'name'])
    expect(await redis.hexists('h', 'admin')).toBe(1)
    expect(await redis.hdel('h', 'admin', 'missing')).toBe(1)
    expect(await redis.hlen('h')).toBe(3)
    expect(await redis.hgetall('h:missing')).toBeNull()
  })

  it('surfaces WRONGTYPE as an UpstashError with the Redis message', async () => {
    await redis.set('wrong', 'string')
    const error: unknown = await redis.lpush('wrong', 'x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(errors.UpstashError)
    expect((error as Error).message).toContain('WRONGTYPE Operation against a key holding the wrong kind of value')
    // Outside a pipeline the same error is an HTTP 400.
    const single = await raw('/', { body: ['lpush', 'wrong', 'x'] })
    expect(single.status).toBe(400)
    expect(JSON.parse(single.text)).toEqual({ error: 'WRONGTYPE Operation against a key holding the wrong kind of value' })
  })
})

describe('protocol', () => {
  it('rejects a wrong or missing token with 401 and accepts _token in the query', async () => {
    for (const headers of [{ authorization: 'Bearer nope' }, { authorization: '' }]) {
      const { status, text } = await raw('/', { body: ['ping'], headers })
      expect(status).toBe(401)
      expect(JSON.parse(text)).toEqual({ error: 'Unauthorized' })
    }
    const viaQuery = await fetch(`${bridge.url}/get/nothing?_token=${TOKEN}`)
    expect(viaQuery.status).toBe(200)
    expect(await viaQuery.json()).toEqual({ result: null })
    const wrong = new Redis({ url: bridge.url, token: 'nope', enableAutoPipelining: false })
    await expect(wrong.get('x')).rejects.toThrow('Unauthorized')
  })

  it('allows HEAD, GET, POST and PUT only', async () => {
    for (const method of ['DELETE', 'PATCH', 'OPTIONS']) {
      const { status, text } = await raw('/', { method, body: ['ping'] })
      expect(status).toBe(405)
      expect(JSON.parse(text)).toHaveProperty('error')
    }
    expect((await raw('/ping', { method: 'PUT' })).text).toBe('{"result":"UE9ORw=="}')
    expect((await raw('/ping', { method: 'HEAD' })).status).toBe(200)
  })

  it('refuses blocking and connection-level commands with 400', async () => {
    // A value in this database, read back at the end: a SELECT that got through would have moved the
    // shared connection to another database, where it is missing.
    await redis.set('refused:marker', 43)
    for (const command of [
      ['blpop', 'q', 0],
      ['brpop', 'q', 1],
      ['bzpopmin', 'z', 0],
      ['xread', 'BLOCK', 0, 'STREAMS', 's', '$'],
      ['select', 1],
      ['quit'],
      ['auth', 'x'],
      ['subscribe', 'ch'],
      ['monitor'],
      ['multi'],
    ]) {
      const { status, text } = await raw('/', { body: command })
      expect(status, String(command[0])).toBe(400)
      expect(JSON.parse(text)).toEqual({ error: `ERR Command is not available: '${command[0]}'` })
    }
    await expect(redis.exec(['BLPOP', 'q', '0'])).rejects.toThrow("ERR Command is not available: 'BLPOP'")
    // The non-blocking forms, PING and ECHO still work.
    await redis.xadd('stream', '*', { a: 1 })
    expect(await redis.xread('stream', '0')).toEqual([['stream', [[expect.any(String), ['a', 1]]]]])
    expect(await redis.ping()).toBe('PONG')
    expect(await redis.echo('hi')).toBe('hi')
    // The shared connection still answers in database 13.
    expect(await redis.get('refused:marker')).toBe(43)
  })

  it('runs path-style commands, with the body as the last argument and the rest in the query', async () => {
    await redis.set('path:key', 'value')
    const get = await fetch(`${bridge.url}/get/path:key`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(await get.json()).toEqual({ result: 'value' })
    expect((await raw('/set/path:ttl?EX=100', { body: Buffer.from('a b/c') })).text).toBe('{"result":"OK"}')
    expect(await redis.get('path:ttl')).toBe('a b/c')
    expect(await redis.ttl('path:ttl')).toBeGreaterThan(90)
    expect((await raw('/hset/path:h/f%2F1/v%20x', { base64: false })).text).toBe('{"result":1}')
    expect(await redis.hget('path:h', 'f/1')).toBe('v x')
  })

  it('answers plain strings when Upstash-Encoding is absent', async () => {
    await redis.set('plain', 'héllo')
    expect((await raw('/', { body: ['get', 'plain'], base64: false })).text).toBe('{"result":"héllo"}')
    expect((await raw('/', { body: ['get', 'plain'] })).text).toBe(`{"result":"${Buffer.from('héllo').toString('base64')}"}`)
  })

  it('uses the exact JSON shapes of the REST API', async () => {
    const set = await raw('/', { body: ['set', 'shape', 'x'] })
    expect([set.status, set.text]).toEqual([200, '{"result":"OK"}'])
    expect(set.syncToken).toBeTruthy()
    expect((await raw('/', { body: ['get', 'shape:missing'] })).text).toBe('{"result":null}')
    expect((await raw('/', { body: ['incrby', 'shape:n', '9007199254740993'] })).text).toBe('{"result":9007199254740993}')
    // Inside an array "OK" is encoded like every other string.
    const nested = await raw('/', { body: ['eval', "return {redis.status_reply('OK'), 'x', 7, false}", 0] })
    expect(nested.text).toBe('{"result":["T0s=","eA==",7,null]}')
    expect((await raw('/', { body: ['eval', "return {redis.status_reply('OK')}", 0], base64: false })).text).toBe('{"result":["OK"]}')
    const pipeline = await raw('/pipeline', { body: [['set', 'shape', 'y'], ['incr', 'shape'], ['get', 'shape'], ['blpop', 'q', 0]] })
    expect(pipeline.status).toBe(200)
    expect(JSON.parse(pipeline.text)).toEqual([
      { result: 'OK' },
      { error: 'ERR value is not an integer or out of range' },
      { result: 'eQ==' },
      { error: "ERR Command is not available: 'blpop'" },
    ])
    const multi = await raw('/multi-exec', { body: [['set', 'shape', 'z'], ['get', 'shape'], ['incr', 'shape']] })
    expect(JSON.parse(multi.text)).toEqual([{ result: 'OK' }, { result: 'eg==' }, { error: 'ERR value is not an integer or out of range' }])
    // JSON numbers and booleans are arguments like strings.
    expect((await raw('/', { body: ['set', 'shape:typed', true], base64: false })).text).toBe('{"result":"OK"}')
    expect((await raw('/', { body: ['get', 'shape:typed'], base64: false })).text).toBe('{"result":"true"}')
    for (const body of ['not json', '[]', '[{"a":1}]', '[["get","k"]]']) {
      const bad = await raw('/', { body: Buffer.from(body) })
      expect(bad.status, body).toBe(400)
      expect(Object.keys(JSON.parse(bad.text) as object), body).toEqual(['error'])
    }
  })

  it('rejects a body over 10 MB', async () => {
    const { status, text } = await raw('/', { body: ['set', 'huge', 'x'.repeat(10 * 1024 * 1024)] })
    expect(status).toBe(400)
    expect(JSON.parse(text)).toEqual({ error: 'ERR max request size exceeded' })
  })

  it('counts requests and commands on /usage as Upstash bills them: each command of a pipeline or transaction, a script once', async () => {
    const own = await startUpstashBridge({ redisUrl: REDIS_URL, token: TOKEN })
    try {
      const client = new Redis({ url: own.url, token: TOKEN, enableAutoPipelining: false })
      const usage = async () => (await fetch(`${own.url}/usage`)).json()
      expect(await usage()).toEqual({ requests: 0, commands: 0 })
      await client.set('usage:a', 1)
      await client.pipeline().incr('usage:a').incr('usage:a').get('usage:a').exec()
      await client.multi().incr('usage:b').incr('usage:b').exec()
      await client.eval("redis.call('INCR', KEYS[1]); redis.call('INCR', KEYS[1]); return redis.call('GET', KEYS[1])", ['usage:c'], [])
      // A refused command is still a request and a command sent.
      await expect(client.exec(['CLIENT', 'LIST'])).rejects.toThrow(/not available/)
      expect(await usage()).toEqual({ requests: 5, commands: 8 })
      await client.del('usage:a', 'usage:b', 'usage:c')
    } finally {
      await own.stop()
    }
  })

  it('reports Redis health on /health', async () => {
    expect(await (await fetch(`${bridge.url}/health`)).json()).toEqual({ service: 'upstash-bridge', redis: 'up' })
    const orphan = await startUpstashBridge({ redisUrl: 'redis://127.0.0.1:1', token: TOKEN })
    try {
      expect(await (await fetch(`${orphan.url}/health`)).json()).toEqual({ service: 'upstash-bridge', redis: 'down' })
      const { status, text } = await fetch(`${orphan.url}/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: '["ping"]',
      }).then(async (r) => ({ status: r.status, text: await r.text() }))
      expect(status).toBe(500)
      expect(Object.keys(JSON.parse(text) as object)).toEqual(['error'])
    } finally {
      await orphan.stop()
    }
  })
})
