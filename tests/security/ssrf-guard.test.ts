// The outbound URL guard (src/server/net): which addresses count as public, URL validation at write
// time, the agents that re-check at connect time (so DNS rebinding cannot win), and fetchPublic's
// redirect handling. DNS is a resolver injected per test; the "internet" is a server on loopback.
import { createECDH, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import webpush from 'web-push'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AppError } from '@/core/errors/app-error'
import { classifyAddress } from '@/server/net/classify-address'
import { fetchPublic } from '@/server/net/fetch-public'
import { assertPublicUrl, OutboundRefusedError, type ResolvedAddress, type Resolver } from '@/server/net/outbound-url-guard'
import { PublicHttpAgent, PublicHttpsAgent, publicLookup } from '@/server/net/public-agent'
import { configWith as configFrom } from '../support/config-with'

const address = (a: string): ResolvedAddress => ({ address: a, family: a.includes(':') ? 6 : 4 })

/** DNS as a table; a name it does not know does not exist. */
function resolver(table: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = []
  const resolve = async (host: string) => {
    calls.push(host)
    const answer = table[host]
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
    return answer.map(address)
  }
  return Object.assign(resolve, { calls })
}

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['100.100.100.200', 'cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.0.8', 'reserved'],
    ['240.0.0.1', 'reserved'],
  ])('refuses the IPv4 address %s (%s)', (ip) => {
    expect(classifyAddress(ip).public).toBe(false)
  })

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '192.169.0.1', '169.255.0.1'])(
    'accepts the public IPv4 address %s',
    (ip) => {
      expect(classifyAddress(ip)).toEqual({ public: true })
    },
  )

  it.each([
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fec0::1', 'deprecated site-local'],
    ['ff02::1', 'multicast'],
    ['ff0e::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['100::1', 'discard'],
    ['::127.0.0.1', 'IPv4-compatible, outside global unicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:0:7f00:1', 'IPv4-translated loopback'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::1', '6to4 of 127.0.0.1'],
    ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    ['2002:a9fe:a9fe::1', '6to4 of 169.254.169.254'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo with client 127.0.0.1'],
    ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'Teredo with server 10.0.0.1'],
    ['5f00::1', 'segment routing'],
  ])('refuses the IPv6 address %s (%s)', (ip) => {
    expect(classifyAddress(ip).public).toBe(false)
  })

  it.each(['2606:4700:4700::1111', '2a00:1450:4001:82a::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2001:0:4136:e378:8000:63bf:f7f7:f7f7'])(
    'accepts the public IPv6 address %s',
    (ip) => {
      expect(classifyAddress(ip)).toEqual({ public: true })
    },
  )

  it('names the embedded IPv4 address and why it is refused', () => {
    expect(classifyAddress('::ffff:127.0.0.1')).toEqual({ public: false, reason: 'an IPv4-mapped form of 127.0.0.1, a loopback address' })
    expect(classifyAddress('169.254.169.254')).toEqual({ public: false, reason: 'a cloud metadata address' })
  })

  it('refuses what is not an IP address in standard notation', () => {
    for (const text of ['localhost', '0x7f.1', '127.1', '2130706433', '']) expect(classifyAddress(text).public).toBe(false)
  })
})

describe('assertPublicUrl', () => {
  it.each([
    'https://127.0.0.1/push',
    'https://2130706433/push', // decimal
    'https://0x7f000001/push', // hex
    'https://0177.0.0.1/push', // octal
    'https://017700000001/push', // one octal number
    'https://0x7f.1/push', // mixed short form
    'https://127.1/push',
    'https://0/push', // 0.0.0.0
    'https://[::1]/push',
    'https://[0:0:0:0:0:0:0:1]/push',
    'https://[::]/push',
    'https://[::ffff:7f00:1]/push',
    'https://[::ffff:127.0.0.1]/push',
    'https://[::ffff:a9fe:a9fe]/push',
    'https://10.0.0.1:8443/push',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/latest/meta-data/',
    'https://100.100.100.200/latest/meta-data/',
    'https://[fe80::1]/push',
    'https://[64:ff9b::7f00:1]/push',
  ])('refuses the literal address in %s without asking DNS', async (url) => {
    const resolve = resolver({})
    const error = await refusal(assertPublicUrl(url, { resolve, field: 'endpoint' }))
    expect(error.code).toBe('validation_failed')
    expect(error.status).toBe(422)
    expect(error.message).toMatch(/^endpoint: points to .*only public internet addresses are allowed$/)
    expect(error.details).toEqual([{ path: 'endpoint', message: expect.stringContaining('points to') }])
    expect(resolve.calls).toEqual([])
  })

  it('accepts an https URL whose host resolves only to public addresses', async () => {
    const resolve = resolver({ 'fcm.googleapis.com': ['142.250.74.138', '2a00:1450:4001:82a::200a'] })
    const url = await assertPublicUrl('https://fcm.googleapis.com/fcm/send/abc', { resolve })
    expect(url.href).toBe('https://fcm.googleapis.com/fcm/send/abc')
    await expect(assertPublicUrl('https://8.8.8.8/x', { resolve })).resolves.toBeInstanceOf(URL)
    await expect(assertPublicUrl('https://[2606:4700:4700::1111]/x', { resolve })).resolves.toBeInstanceOf(URL)
  })

  it('refuses a host name when any one of its addresses is not public', async () => {
    const resolve = resolver({
      'mixed.example.com': ['93.184.216.34', '10.0.0.7'],
      'mixed6.example.com': ['93.184.216.34', '::1'],
      'localhost.example.com': ['127.0.0.1'],
    })
    expect((await refusal(assertPublicUrl('https://mixed.example.com/', { resolve }))).message).toContain('mixed.example.com resolves to 10.0.0.7')
    expect((await refusal(assertPublicUrl('https://mixed6.example.com/', { resolve }))).message).toContain('resolves to ::1')
    expect((await refusal(assertPublicUrl('https://localhost.example.com/', { resolve }))).message).toContain('a loopback address')
  })

  it('refuses a host name that cannot be resolved, or not in time', async () => {
    expect((await refusal(assertPublicUrl('https://nowhere.example.com/', { resolve: resolver({}) }))).message).toBe('url: its host name could not be resolved')
    const empty = resolver({ 'empty.example.com': [] })
    expect((await refusal(assertPublicUrl('https://empty.example.com/', { resolve: empty }))).message).toBe('url: its host name could not be resolved')
    const hanging: Resolver = () => new Promise(() => {})
    const error = await refusal(assertPublicUrl('https://slow.example.com/', { resolve: hanging, lookupTimeoutMs: 50 }))
    expect(error.message).toBe('url: its host name could not be resolved in time')
  })

  it('accepts only https, and http only when the caller allows it', async () => {
    const resolve = resolver({ 'hooks.example.com': ['93.184.216.34'] })
    expect((await refusal(assertPublicUrl('http://hooks.example.com/', { resolve }))).message).toBe('url: must be an https URL')
    await expect(assertPublicUrl('http://hooks.example.com/', { resolve, allowHttp: true })).resolves.toBeInstanceOf(URL)
    for (const url of ['ftp://hooks.example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', 'gopher://hooks.example.com/'])
      expect((await refusal(assertPublicUrl(url, { resolve, allowHttp: true }))).message).toBe('url: must be an http or https URL')
  })

  it('refuses credentials in the URL and what is not a URL', async () => {
    const resolve = resolver({ 'hooks.example.com': ['93.184.216.34'] })
    expect((await refusal(assertPublicUrl('https://user:secret@hooks.example.com/', { resolve }))).message).toBe('url: must not contain a user name or password')
    expect((await refusal(assertPublicUrl('https://user@hooks.example.com/', { resolve }))).message).toBe('url: must not contain a user name or password')
    for (const url of ['not a url', '/relative/path', 'https://', 'https://[::1/'])
      expect((await refusal(assertPublicUrl(url, { resolve }))).message).toBe('url: must be a valid absolute URL')
  })

  it('lets through only the hosts the deployment explicitly allows, as they are spelled', async () => {
    const resolve = resolver({ localhost: ['127.0.0.1'], 'push.internal': ['10.1.2.3'] })
    const allowPrivateHosts = ['127.0.0.1', 'push.internal']
    await expect(assertPublicUrl('https://127.0.0.1:8443/x', { resolve, allowPrivateHosts })).resolves.toBeInstanceOf(URL)
    await expect(assertPublicUrl('https://2130706433/x', { resolve, allowPrivateHosts })).resolves.toBeInstanceOf(URL) // the same host
    await expect(assertPublicUrl('https://PUSH.Internal/x', { resolve, allowPrivateHosts })).resolves.toBeInstanceOf(URL)
    await refusal(assertPublicUrl('https://localhost/x', { resolve, allowPrivateHosts }))
    await refusal(assertPublicUrl('https://[::1]/x', { resolve, allowPrivateHosts }))
    await refusal(assertPublicUrl('https://10.1.2.3/x', { resolve, allowPrivateHosts }))
  })
})

describe('connect-time guard', () => {
  let server: http.Server
  let port: number
  const connections: string[] = []

  beforeAll(async () => {
    server = http.createServer((req, res) => res.end(`reached ${req.url}`))
    server.on('connection', (socket) => connections.push(socket.remoteAddress ?? '?'))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise((r) => server.close(r)))

  const get = (url: string, agent: http.Agent) =>
    new Promise<string>((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          let body = ''
          res.on('data', (c) => (body += c))
          res.on('end', () => resolve(body))
        })
        .on('error', reject)
    })

  it('the lookup answers with every checked address, and refuses a name with any non-public one', async () => {
    const lookup = publicLookup({ resolve: resolver({ 'ok.example.com': ['93.184.216.34', '2606:2800:220:1::1'], 'mixed.example.com': ['93.184.216.34', '192.168.0.10'] }) })
    const ask = (host: string, options: { all?: boolean; family?: number }) =>
      new Promise((resolve, reject) => lookup(host, options, (err, addr, family) => (err ? reject(err) : resolve(options.all ? addr : [addr, family]))))
    await expect(ask('ok.example.com', { all: true })).resolves.toEqual([{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::1', family: 6 }])
    await expect(ask('ok.example.com', { family: 6 })).resolves.toEqual(['2606:2800:220:1::1', 6])
    await expect(ask('mixed.example.com', { all: true })).rejects.toBeInstanceOf(OutboundRefusedError)
    await expect(ask('nowhere.example.com', {})).rejects.toMatchObject({ code: 'ENOTFOUND' })
  })

  it('refuses a literal loopback address before a connection is opened', async () => {
    const before = connections.length
    const agent = new PublicHttpAgent({}, { keepAlive: false })
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]'])
      await expect(get(`http://${host}:${port}/secret`, agent)).rejects.toBeInstanceOf(OutboundRefusedError)
    expect(connections.length).toBe(before)
  })

  it('wins against DNS rebinding: a name that was public when checked is refused when it turns private', async () => {
    let answers = 0
    // The attacker's DNS: a public address for the check, loopback for everything after.
    const rebinding: Resolver = async () => [address(answers++ === 0 ? '93.184.216.34' : '127.0.0.1')]
    await expect(assertPublicUrl('https://rebind.example.com/', { resolve: rebinding, allowHttp: true })).resolves.toBeInstanceOf(URL)
    const before = connections.length
    const agent = new PublicHttpAgent({ resolve: rebinding }, { keepAlive: false })
    await expect(get(`http://rebind.example.com:${port}/secret`, agent)).rejects.toThrow(/loopback/)
    expect(connections.length).toBe(before)
  })

  it('connects to an explicitly allowed host', async () => {
    const agent = new PublicHttpAgent({ allowPrivateHosts: ['receiver.test'], resolve: resolver({ 'receiver.test': ['127.0.0.1'] }) }, { keepAlive: false })
    await expect(get(`http://receiver.test:${port}/hello`, agent)).resolves.toBe('reached /hello')
  })

  it('web-push refuses to send through the guarded agent to a subscription on loopback', async () => {
    const before = connections.length
    const vapid = webpush.generateVAPIDKeys()
    const browser = createECDH('prime256v1')
    browser.generateKeys()
    const keys = { p256dh: browser.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') }
    const send = (endpoint: string, agent: PublicHttpsAgent) =>
      webpush.sendNotification({ endpoint, keys }, 'x', {
        vapidDetails: { subject: 'mailto:ops@example.com', ...vapid },
        agent,
        timeout: 2_000,
      })
    const agent = new PublicHttpsAgent({ resolve: resolver({ 'push.example.com': ['127.0.0.1'] }) }, { keepAlive: false })
    await expect(send(`https://127.0.0.1:${port}/push`, agent)).rejects.toBeInstanceOf(OutboundRefusedError)
    await expect(send(`https://2130706433:${port}/push`, agent)).rejects.toBeInstanceOf(OutboundRefusedError) // web-push parses with url.parse
    await expect(send(`https://[::1]:${port}/push`, agent)).rejects.toBeInstanceOf(OutboundRefusedError)
    await expect(send(`https://push.example.com:${port}/push`, agent)).rejects.toBeInstanceOf(OutboundRefusedError)
    expect(connections.length).toBe(before)
  })
})

describe('fetchPublic', () => {
  let server: http.Server
  let port: number
  const seen: { path: string; method: string; authorization?: string; body: string }[] = []
  const dns = (extra: Record<string, string[]> = {}) =>
    resolver({ 'hooks.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'], 'internal.example.com': ['10.0.0.7'], ...extra })
  // Only the first hop's host is allowed to be private: every redirect target must be public on its own.
  const firstHopOnly = { allowHttp: true, allowPrivateHosts: ['hooks.test'] }

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        const url = new URL(req.url!, 'http://x')
        seen.push({ path: url.pathname, method: req.method!, authorization: req.headers.authorization, body })
        const to = url.searchParams.get('to')
        if (url.pathname === '/redirect') return res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: to! }).end('moved')
        const hop = /^\/hop\/(\d+)$/.exec(url.pathname)
        if (hop) return Number(hop[1]) > 0 ? res.writeHead(302, { location: `/hop/${Number(hop[1]) - 1}` }).end() : res.end('arrived')
        if (url.pathname === '/slow') return // never answers
        res.writeHead(200, { 'content-type': 'text/plain', 'x-reached': url.pathname }).end(`reached ${url.pathname}`)
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise((r) => server.close(r)))

  const first = (path: string) => `http://hooks.test:${port}${path}`
  const redirectTo = (to: string, status = 302) => first(`/redirect?status=${status}&to=${encodeURIComponent(to)}`)
  const secretsReached = () => seen.filter((s) => s.path === '/secret').length

  it('follows redirects within the allowed host and answers like fetch', async () => {
    const res = await fetchPublic(redirectTo(`http://hooks.test:${port}/final`), {}, { ...firstHopOnly, resolve: dns() })
    expect(res.status).toBe(200)
    expect(res.url).toBe(`http://hooks.test:${port}/final`)
    expect(res.headers.get('x-reached')).toBe('/final')
    expect(await res.text()).toBe('reached /final')
  })

  it.each([
    ['a literal loopback address', (port: number) => `http://127.0.0.1:${port}/secret`],
    ['loopback in decimal', (port: number) => `http://2130706433:${port}/secret`],
    ['IPv6 loopback', (port: number) => `http://[::1]:${port}/secret`],
    ['IPv4-mapped loopback', (port: number) => `http://[::ffff:7f00:1]:${port}/secret`],
    ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a name resolving to a private address', (port: number) => `http://internal.example.com:${port}/secret`],
  ])('refuses a redirect to %s, re-checking the hop', async (_, target) => {
    const before = secretsReached()
    await expect(fetchPublic(redirectTo(target(port)), {}, { ...firstHopOnly, resolve: dns() })).rejects.toBeInstanceOf(OutboundRefusedError)
    expect(secretsReached()).toBe(before)
  })

  it('refuses a redirect that leaves https when plain http was not allowed', async () => {
    const resolve = dns({ 'secure.test': ['127.0.0.1'] })
    // The first hop cannot even be http without the option.
    await expect(fetchPublic(first('/final'), {}, { allowPrivateHosts: ['hooks.test'], resolve })).rejects.toThrow('must be an https URL')
    await expect(fetchPublic(redirectTo('ftp://hooks.test/x'), {}, { ...firstHopOnly, resolve })).rejects.toThrow(/redirected to a URL that must be an http or https URL/)
  })

  it('gives up after five redirects', async () => {
    const resolve = dns()
    expect(await (await fetchPublic(first('/hop/5'), {}, { ...firstHopOnly, resolve })).text()).toBe('arrived')
    await expect(fetchPublic(first('/hop/6'), {}, { ...firstHopOnly, resolve })).rejects.toThrow('stopped after 5 redirects')
    await expect(fetchPublic(first('/hop/2'), { maxRedirects: 1 }, { ...firstHopOnly, resolve })).rejects.toThrow('stopped after 1 redirects')
  })

  it('turns a POST into a GET on 303 and keeps credentials from another origin', async () => {
    const resolve = dns()
    const allow = { allowHttp: true, allowPrivateHosts: ['hooks.test', 'other.test'], resolve }
    seen.length = 0
    const res = await fetchPublic(redirectTo(`http://other.test:${port}/final`, 303), { method: 'POST', body: 'payload', headers: { Authorization: 'Bearer s3cret' } }, allow)
    expect(res.status).toBe(200)
    expect(seen.map(({ path, method, authorization, body }) => ({ path, method, authorization, body }))).toEqual([
      { path: '/redirect', method: 'POST', authorization: 'Bearer s3cret', body: 'payload' },
      { path: '/final', method: 'GET', authorization: undefined, body: '' },
    ])
    seen.length = 0
    await fetchPublic(redirectTo(`http://hooks.test:${port}/final`, 307), { method: 'POST', body: 'payload', headers: { authorization: 'Bearer s3cret' } }, allow)
    expect(seen.map((s) => [s.method, s.authorization, s.body])).toEqual([
      ['POST', 'Bearer s3cret', 'payload'],
      ['POST', 'Bearer s3cret', 'payload'],
    ])
  })

  it('times out', async () => {
    const started = Date.now()
    const error = await fetchPublic(first('/slow'), { timeoutMs: 200 }, { ...firstHopOnly, resolve: dns() }).catch((e: unknown) => e)
    expect((error as Error).name).toBe('TimeoutError')
    expect(Date.now() - started).toBeLessThan(2_000)
  })
})

describe('the private-host allowance', () => {
  const env = { ...process.env }
  afterAll(() => {
    process.env = env
    vi.resetModules()
  })

  const configWith = (extra: Record<string, string>) => configFrom(extra, env)

  it('is empty unless configured, and a list of hosts when it is', async () => {
    expect((await configWith({ NODE_ENV: 'test', OUTBOUND_ALLOW_PRIVATE_HOSTS: '' }))().OUTBOUND_ALLOW_PRIVATE_HOSTS).toEqual([])
    expect((await configWith({ NODE_ENV: 'development', OUTBOUND_ALLOW_PRIVATE_HOSTS: '127.0.0.1, localhost,[::1]' }))().OUTBOUND_ALLOW_PRIVATE_HOSTS).toEqual([
      '127.0.0.1',
      'localhost',
      '[::1]',
    ])
  })

  it('refuses to start in production with any allowed host', async () => {
    expect(await configWith({ NODE_ENV: 'production', OUTBOUND_ALLOW_PRIVATE_HOSTS: '127.0.0.1' })).toThrow(/OUTBOUND_ALLOW_PRIVATE_HOSTS: must be empty in production/)
    expect((await configWith({ NODE_ENV: 'production', OUTBOUND_ALLOW_PRIVATE_HOSTS: '' }))().OUTBOUND_ALLOW_PRIVATE_HOSTS).toEqual([])
  })

  it('refuses an entry that is a URL rather than a host', async () => {
    expect(await configWith({ NODE_ENV: 'test', OUTBOUND_ALLOW_PRIVATE_HOSTS: 'https://127.0.0.1:8443/' })).toThrow(/OUTBOUND_ALLOW_PRIVATE_HOSTS/)
  })
})
