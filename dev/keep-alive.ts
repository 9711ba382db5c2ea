// How long the local servers hold an idle keep-alive connection. A client that reuses a pooled
// connection at the instant the server closes it gets ECONNRESET: with Node's default of 5 s, a caller
// that pauses a few seconds between requests (the browser tests' API clients do while they poll
// something else) meets that race now and then. Held a minute, as servers behind a load balancer are.
import type { Server } from 'node:http'

export const IDLE_CONNECTION_MS = 61_000

export function holdIdleConnections(server: Server) {
  server.keepAliveTimeout = IDLE_CONNECTION_MS
  // Node's advice: wait for a request's headers longer than a connection may stay idle.
  server.headersTimeout = IDLE_CONNECTION_MS + 1_000
  return server
}
