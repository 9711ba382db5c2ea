// The local stand-ins for the hosted services Conversa cannot reach offline (Meta's Graph API,
// QStash, the Upstash REST API). The Meta emulator speaks Meta's protocol; the other two, until they
// speak theirs, answer only their health check and say so in our error shape for everything else.
import { createServer, type Server } from 'node:http'
import { metaEmulatorOptionsFromEnv } from './meta-emulator/env-options'
import { startMetaEmulator } from './meta-emulator/server'

const SHELLS = [
  { name: 'qstash', port: Number(process.env.QSTASH_PORT ?? 4020) },
  { name: 'upstash-bridge', port: Number(process.env.UPSTASH_BRIDGE_PORT ?? 4030) },
]

const shells: Server[] = SHELLS.map(({ name, port }) =>
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

const meta = await startMetaEmulator({ ...metaEmulatorOptionsFromEnv(), log: (line) => console.log(line) })
console.log(`meta-emulator listening on ${meta.url} (webhooks to ${meta.state.config.webhookUrl})`)

process.on('SIGTERM', () => {
  void Promise.all([meta.stop(), ...shells.map((s) => new Promise((resolve) => s.close(resolve)))]).then(() => process.exit(0))
})
