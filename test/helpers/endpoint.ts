import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the endpoint received. */
export interface RecordedRequest {
  method: string
  path: string
  /** Lowercased names; repeated headers joined by ", ". */
  headers: Record<string, string>
  body: string
  /** Date.now() when the body had arrived. */
  receivedAt: number
  /** 0-based, in arrival order. */
  index: number
}

/** How to answer one request. */
export interface PlannedResponse {
  /** @default 200 */
  status?: number
  headers?: Record<string, string>
  /** A string is sent as is; anything else as JSON. @default "" */
  body?: unknown
  /** Wait this long before answering. */
  delayMs?: number
  /** Never answer (the socket stays open until the client gives up or the endpoint closes). */
  hang?: boolean
}

export type Responder = (request: RecordedRequest) => PlannedResponse | Promise<PlannedResponse>

export interface TestEndpoint {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  requests: RecordedRequest[]
  /** TCP connections accepted so far (a refused-before-connect test expects 0). */
  readonly connections: number
  /** Changes how later requests are answered. */
  respond(responder: Responder | PlannedResponse): void
  /** Resolves when `predicate` holds for the recorded requests (checked on each arrival), or rejects after `timeoutMs`. */
  waitFor(
    predicate: number | ((requests: RecordedRequest[]) => boolean),
    timeoutMs?: number,
  ): Promise<RecordedRequest[]>
  close(): Promise<void>
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) that records every request and answers as programmed.
 * @example const endpoint = await startEndpoint({ status: 500 }); endpoint.respond((r) => r.index < 2 ? { status: 503 } : {})
 */
export async function startEndpoint(initial: Responder | PlannedResponse = {}): Promise<TestEndpoint> {
  let responder = toResponder(initial)
  const requests: RecordedRequest[] = []
  const waiters = new Set<() => void>()
  const hanging = new Set<ServerResponse>()

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => void answer(req, res))
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value)
    const request: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt: Date.now(),
      index: requests.length,
    }
    requests.push(request)
    for (const wake of waiters) wake()
    let plan: PlannedResponse
    try {
      plan = await responder(request)
    } catch {
      plan = { status: 500 }
    }
    if (plan.hang) {
      hanging.add(res)
      res.on('close', () => hanging.delete(res))
      return
    }
    if (plan.delayMs) await new Promise((resolve) => setTimeout(resolve, plan.delayMs))
    const body = plan.body === undefined ? '' : typeof plan.body === 'string' ? plan.body : JSON.stringify(plan.body)
    const contentType = typeof plan.body === 'string' || plan.body === undefined ? 'text/plain' : 'application/json'
    if (res.destroyed) return
    res.writeHead(plan.status ?? 200, { 'content-type': contentType, ...plan.headers })
    res.end(body)
  }
  server.keepAliveTimeout = 5000
  let connections = 0
  server.on('connection', () => {
    connections++
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections
    },
    respond: (next) => void (responder = toResponder(next)),
    waitFor: (predicate, timeoutMs = 10_000) => {
      const check = typeof predicate === 'number' ? (list: RecordedRequest[]) => list.length >= predicate : predicate
      if (check(requests)) return Promise.resolve(requests)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake)
          reject(
            new Error(
              `The endpoint waited ${timeoutMs} ms and got ${requests.length} requests, not what the test expected.`,
            ),
          )
        }, timeoutMs)
        function wake() {
          if (!check(requests)) return
          waiters.delete(wake)
          clearTimeout(timer)
          resolve(requests)
        }
        waiters.add(wake)
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function toResponder(value: Responder | PlannedResponse): Responder {
  return typeof value === 'function' ? value : () => value
}
