// The local stand-ins for the hosted services Conversa cannot reach offline (Meta's Graph API,
// QStash, the Upstash REST API). Each listens on its own port and, until it speaks its protocol,
// answers only its health check and says so in our error shape for everything else.
import { createServer } from 'node:http'

const STAND_INS = [
  { name: 'meta-emulator', port: Number(process.env.META_EMULATOR_PORT ?? 4010) },
  { name: 'qstash', port: Number(process.env.QSTASH_PORT ?? 4020) },
  { name: 'upstash-bridge', port: Number(process.env.UPSTASH_BRIDGE_PORT ?? 4030) },
]

const servers = STAND_INS.map(({ name, port }) =>
  createServer((req, res) => {
    const healthy = req.method === 'GET' && req.url === '/health'
    res.writeHead(healthy ? 200 : 501, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify(
        healthy
          ? { service: name, protocol: 'not yet implemented' }
          : { error: { code: 'not_implemented', message: `${name} does not speak this endpoint yet` } },
      ),
    )
  }).listen(port, '127.0.0.1', () => console.log(`${name} listening on http://127.0.0.1:${port}`)),
)

process.on('SIGTERM', () => servers.forEach((s) => s.close(() => process.exit(0))))
