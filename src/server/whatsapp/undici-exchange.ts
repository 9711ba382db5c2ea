// Graph's JSON calls over undici's request API. A send is one such call, and at a campaign's 1,000 a
// second its HTTP exchange was the worker's largest cost: through fetch (WHATWG streams, a Response
// and its Headers per call) a local POST cost about 490 µs of CPU, through request about 125 µs.
// Form bodies (media uploads) keep going through fetch, which builds the multipart body.
import { Agent, request } from 'undici'
import { fetchExchange, type GraphExchange } from '@/core/whatsapp/graph-client'

const viaFetch = fetchExchange(globalThis.fetch)

/** One connection pool per process for Graph; idle sockets close after the server's keep-alive hint. */
const pool = new Agent()

export const undiciExchange: GraphExchange = async (url, init) => {
  if (init.body instanceof FormData) return viaFetch(url, init)
  const response = await request(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal, dispatcher: pool })
  const retryAfter = response.headers['retry-after']
  return { status: response.statusCode, retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null), text: await response.body.text() }
}
