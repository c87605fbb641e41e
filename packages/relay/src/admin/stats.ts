import { Hono } from 'hono'
import type { RelayContext } from '../context.ts'
import { HttpError } from '../http/errors.ts'
import { listListeners, type Listener } from '../storage/listeners.ts'
import {
  attemptFigures,
  deliveryFigures,
  eventFigures,
  recentLatencies,
  type AttemptFigures,
  type DeliveryFigures,
  type EventFigures,
} from '../storage/stats.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { FrameLatencySamples } from '../stream/latency.ts'
import type { AdminEnv } from './lookups.ts'

const WINDOWS: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 }

/** p50/p95/p99 of a list of numbers (nearest rank), or nulls when empty. */
export function percentiles(values: number[]): { p50: number | null; p95: number | null; p99: number | null } {
  if (values.length === 0) return { p50: null, p95: null, p99: null }
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null
  return { p50: at(50), p95: at(95), p99: at(99) }
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole)

type Latency = { webhookId: string; latencyMs: number }
const NO_DELIVERIES = { succeeded: 0, failed: 0, pending: 0 }

/**
 * `GET /v1/projects/:pid/stats?window=1h|24h|7d` (admin): the seed's four figures for the dashboard —
 * fire rate per session, delivery success rate, event-to-action latency (event → endpoint 2xx from
 * the store; inbound → frame written from the hub's in-memory window), validation rate — per
 * project, per webhook and per listener, plus the queue depth.
 */
export function statsRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  app.get('/v1/projects/:pid/stats', async (c) => {
    const pid = c.var.project.id
    const window = c.req.query('window') ?? '24h'
    const since = Date.now() - windowSpan(window)
    const [events, deliveries, attempts, latencies, webhooks, listeners] = await Promise.all([
      eventFigures(ctx.db, pid, since),
      deliveryFigures(ctx.db, pid, since),
      attemptFigures(ctx.db, pid, since),
      recentLatencies(ctx.db, pid, since),
      ctx.webhooks.forProject(pid),
      listListeners(ctx.db, ctx.secrets, pid),
    ])
    // A relay started with another frame sink has no streams, hence no frames written.
    const frames: FrameLatencySamples = ctx.hub?.latency.since(pid, since) ?? { all: [], byListener: new Map() }
    return c.json({
      window,
      since: new Date(since).toISOString(),
      events: eventStats(events),
      deliveries: deliveryStats(deliveries, latencies),
      attempts: attemptStats(attempts),
      webhooks: webhooks.map((webhook) => webhookStats(webhook, deliveries, attempts, latencies)),
      inbound: inboundStats(frames, listeners),
    })
  })
  return app
}

function windowSpan(window: string): number {
  // Own keys only: `?window=valueOf` must not find Object.prototype's.
  const span = Object.hasOwn(WINDOWS, window) ? WINDOWS[window] : undefined
  if (span) return span
  throw new HttpError(
    400,
    'invalid_query',
    `"window" must be one of ${Object.keys(WINDOWS).join(', ')} (got "${window.slice(0, 20)}").`,
  )
}

function eventStats(events: EventFigures) {
  return {
    count: events.events,
    sessions: events.sessions,
    firesPerSession: rate(events.events, events.sessions),
    valid: events.valid,
    validationRate: rate(events.valid, events.events),
  }
}

function deliveryStats(deliveries: DeliveryFigures[], latencies: Latency[]) {
  const total = deliveries.reduce(
    (sum, d) => ({
      succeeded: sum.succeeded + d.succeeded,
      failed: sum.failed + d.failed,
      pending: sum.pending + d.pending,
    }),
    NO_DELIVERIES,
  )
  return {
    ...total,
    successRate: rate(total.succeeded, total.succeeded + total.failed),
    latencyMs: percentiles(latencies.map((l) => l.latencyMs)),
    queueDepth: total.pending,
  }
}

/** Every attempt, refused ones included: how often an endpoint answered 2xx when asked. */
function attemptStats(attempts: AttemptFigures[]) {
  const succeeded = attempts.reduce((sum, a) => sum + a.succeeded, 0)
  const failed = attempts.reduce((sum, a) => sum + a.failed, 0)
  return { succeeded, failed, successRate: rate(succeeded, succeeded + failed) }
}

function webhookStats(
  webhook: Webhook,
  deliveries: DeliveryFigures[],
  attempts: AttemptFigures[],
  latencies: Latency[],
) {
  const figures = deliveries.find((d) => d.webhookId === webhook.id) ?? NO_DELIVERIES
  const tried = attempts.find((a) => a.webhookId === webhook.id) ?? { succeeded: 0, failed: 0 }
  return {
    id: webhook.id,
    name: webhook.name,
    status: webhook.status,
    succeeded: figures.succeeded,
    failed: figures.failed,
    pending: figures.pending,
    successRate: rate(figures.succeeded, figures.succeeded + figures.failed),
    attemptSuccessRate: rate(tried.succeeded, tried.succeeded + tried.failed),
    latencyMs: percentiles(latencies.filter((l) => l.webhookId === webhook.id).map((l) => l.latencyMs)),
  }
}

function inboundStats(frames: FrameLatencySamples, listeners: Listener[]) {
  return {
    framesWritten: frames.all.length,
    latencyMs: percentiles(frames.all),
    listeners: listeners.map((listener) => {
      const samples = frames.byListener.get(listener.id) ?? []
      return { id: listener.id, name: listener.name, framesWritten: samples.length, latencyMs: percentiles(samples) }
    }),
  }
}
