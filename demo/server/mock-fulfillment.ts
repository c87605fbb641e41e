import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { newId, sign } from '@hookline/protocol'
import { readBody } from './read-body.ts'

/** Where the mock reports order progress: the demo project's inbound listener. */
export interface InboundTarget {
  /** Absolute URL, `http://127.0.0.1:8787/v1/inbound/lst_…`. */
  url: string
  secret: string
}

export interface FulfillmentOptions {
  /** @default 0 (a free port) */
  port?: number
  /** The listener to call back; settable later, because the listener is seeded after the mock starts. */
  inbound?: InboundTarget
  /** Time between order steps (pending → confirmed → shipped), in ms. @default 1500 */
  stepMs?: number
  /** Called with each line worth printing. @default nothing */
  log?: (line: string) => void
}

export interface Fulfillment {
  url: string
  /** The URL the seeded webhook points at. */
  ordersUrl: string
  setInbound(target: InboundTarget): void
  close(): Promise<void>
}

/** A status and the JSON body to send with it. */
type Answer = [status: number, body: unknown]

interface Received {
  type?: unknown
  /** The default body has `session.id`; a designer's template may put the id in `session` itself. */
  session?: { id?: unknown } | string | null
  sessionId?: unknown
  data?: Record<string, unknown>
}

/**
 * A pretend fulfillment system for the demo, on 127.0.0.1. It answers every order the webhook
 * sends with `{"status":"pending"}` (which the webhook's `response.set` maps into the prototype),
 * then, like a real warehouse would, reports progress later through the demo's inbound listener:
 * `confirmed`, then `shipped`, each a signed Standard Webhooks request. `?fail=503` makes it fail.
 */
export async function startFulfillment(options: FulfillmentOptions = {}): Promise<Fulfillment> {
  let inbound = options.inbound
  const stepMs = options.stepMs ?? 1500
  const log = options.log ?? (() => {})
  const timers = new Set<NodeJS.Timeout>()

  const later = (ms: number, work: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      work().catch((error: unknown) => {
        log(`mock fulfillment: could not call the listener: ${error instanceof Error ? error.message : String(error)}`)
      })
    }, ms)
    timers.add(timer)
  }

  const report = async (session: string, orderId: string, status: string) => {
    if (!inbound) {
      log('mock fulfillment: no listener to report to yet')
      return
    }
    const body = JSON.stringify({ type: `order.${status}`, session, order: { id: orderId, status } })
    const headers = await sign(inbound.secret, newId('msg'), Math.floor(Date.now() / 1000), body)
    const response = await fetch(inbound.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    })
    log(`mock fulfillment: order ${orderId} ${status} → listener answered ${response.status}`)
  }

  /** The answer to one request; an order also starts its reports to the listener. */
  const answer = async (request: IncomingMessage): Promise<Answer> => {
    if (request.method !== 'POST') return [200, { service: 'Hookline demo: mock fulfillment', post: '/orders' }]
    // `/orders?fail=503` answers every request with that status: point a webhook there to watch
    // retries, the delivery log filling with failures, and the webhook pausing after ten.
    const fail = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('fail'))
    if (fail >= 300 && fail <= 599) {
      await readBody(request).catch(() => '')
      return [fail, { error: `The mock fulfillment service was asked to fail with ${fail}.` }]
    }
    let received: Received
    try {
      received = JSON.parse(await readBody(request)) as Received
    } catch {
      return [400, { error: 'Send a JSON body.' }]
    }
    const type = typeof received.type === 'string' ? received.type : 'unknown'
    if (type === 'webhook.test') {
      return [200, { ok: true, message: 'The mock fulfillment service received your test event.' }]
    }
    const session = sessionOf(received)
    const orderId = newId('msg').replace('msg_', 'ord_')
    if (session) {
      later(stepMs, () => report(session, orderId, 'confirmed'))
      later(stepMs * 2, () => report(session, orderId, 'shipped'))
    }
    return [200, { status: 'pending', orderId, received: type }]
  }

  const server = createServer((request, response) => {
    answer(request)
      .catch((): Answer => [500, { error: 'The mock fulfillment service failed.' }])
      .then(([status, body]) => {
        json(response, status, body)
      })
      .catch(() => response.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    ordersUrl: `${url}/orders`,
    setInbound: (target) => {
      inbound = target
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function sessionOf(received: Received): string | null {
  const candidate =
    typeof received.session === 'object' && received.session !== null
      ? received.session.id
      : (received.session ?? received.sessionId)
  return typeof candidate === 'string' && candidate.startsWith('ses_') ? candidate : null
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}
