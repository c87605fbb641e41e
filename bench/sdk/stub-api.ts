// One stand-in API for every SDK in the track() benchmark, on 127.0.0.1, so that no SDK waits on a
// network and none is favoured: each request is answered at once with 200 and permissive CORS.
// The only per-SDK difference is the body: Hookline's /v1/events acknowledges the ids it was sent
// (an empty answer would leave our queue retrying, a cost the others would not pay), and its
// /v1/sessions claims a session as the relay does (201 with a token: without one every batch would
// claim again); every other request (PostHog, Segment, Snowplow, config look-ups) gets `{}`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StubApi {
  url: string
  /** Requests answered so far, and when the last one arrived (Date.now()). */
  stats(): { requests: number; lastRequestAt: number }
  close(): Promise<void>
}

function corsHeaders(request: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': request.headers.origin ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
    'access-control-max-age': '600',
  }
}

/** Hookline's acknowledgement: every id in the batch is accepted. */
function acknowledge(body: string): string {
  try {
    const events = (JSON.parse(body) as { events?: Array<{ id?: string }> }).events ?? []
    return JSON.stringify({ accepted: events.map((event) => event.id), duplicates: [], rejected: [] })
  } catch {
    return '{}'
  }
}

export async function startStubApi(): Promise<StubApi> {
  let requests = 0
  let lastRequestAt = 0
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests++
    lastRequestAt = Date.now()
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const headers = { ...corsHeaders(request), 'content-type': 'application/json', 'cache-control': 'no-store' }
      if (request.method === 'OPTIONS') return void response.writeHead(204, headers).end()
      const path = new URL(request.url ?? '/', 'http://x').pathname
      const post = request.method === 'POST'
      if (post && path === '/v1/sessions')
        return void response.writeHead(201, headers).end(JSON.stringify({ token: `tok_bench_${requests}` }))
      const body = path === '/v1/events' ? acknowledge(Buffer.concat(chunks).toString('utf8')) : '{}'
      response.writeHead(post && path === '/v1/events' ? 202 : 200, headers).end(body)
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ requests, lastRequestAt }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
