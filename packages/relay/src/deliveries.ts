import { Hono } from 'hono'
import type { RelayContext, RelayEnv } from './context.ts'
import { HttpError } from './errors.ts'
import { findDelivery, listAttempts, listDeliveries, requeueDelivery } from './storage/deliveries.ts'
import type { AttemptsTable, DeliveriesTable, DeliveryStatus } from './storage/schema.ts'
import type { Webhook } from './storage/webhooks.ts'
import { requireWebhook } from './webhooks.ts'

const STATUSES = ['pending', 'held', 'sending', 'succeeded', 'failed'] as const

/** A delivery as the API shows it; `held` is a pending delivery of a paused or disabled webhook. */
export function publicDelivery(row: DeliveriesTable, webhook: Webhook) {
  const held = row.status === 'pending' && webhook.status !== 'active'
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    messageId: row.msg_id,
    kind: row.kind,
    sessionId: row.session_id,
    status: held ? 'held' : row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'pending' ? new Date(Number(row.next_attempt_at)).toISOString() : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    latencyMs: row.latency_ms,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)).toISOString(),
  }
}

export function publicAttempt(row: AttemptsTable) {
  return {
    attempt: row.attempt,
    startedAt: new Date(Number(row.started_at)).toISOString(),
    status: row.response_status,
    latencyMs: row.latency_ms,
    request: { headers: JSON.parse(row.request_headers), body: row.request_body },
    responseHeaders: row.response_headers === null ? null : JSON.parse(row.response_headers),
    responseBody: row.response_body,
    error: row.error,
  }
}

export async function deliveryDetail(ctx: RelayContext, webhook: Webhook, deliveryId: string) {
  const row = await findDelivery(ctx.db, webhook.id, deliveryId)
  if (!row) throw new HttpError(404, 'delivery_not_found', `No delivery ${deliveryId} for webhook ${webhook.id}.`)
  return { ...publicDelivery(row, webhook), attempts: (await listAttempts(ctx.db, deliveryId)).map(publicAttempt) }
}

/** `/v1/projects/:pid/webhooks/:wid/deliveries/**` (admin). */
export function deliveryRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  const base = '/v1/projects/:pid/webhooks/:wid/deliveries'

  app.get(base, async (c) => {
    const webhook = await requireWebhook(ctx, c.req.param('pid'), c.req.param('wid'))
    const status = c.req.query('status')
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw new HttpError(
        400,
        'invalid_query',
        `"status" must be one of ${STATUSES.join(', ')} (got "${status.slice(0, 40)}").`,
      )
    }
    const limit = readLimit(c.req.query('limit'))
    const cursor = c.req.query('cursor')
    // `held` is `pending` while the webhook is not active.
    const stored: DeliveryStatus | undefined = status === 'held' ? 'pending' : (status as DeliveryStatus | undefined)
    const rows =
      status === 'held' && webhook.status === 'active'
        ? []
        : await listDeliveries(ctx.db, webhook.id, { status: stored, limit, cursor })
    const deliveries = rows
      .map((row) => publicDelivery(row, webhook))
      .filter((row) => status !== 'pending' || row.status === 'pending')
    return c.json({ deliveries, nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null })
  })

  app.get(`${base}/:did`, async (c) => {
    const webhook = await requireWebhook(ctx, c.req.param('pid'), c.req.param('wid'))
    return c.json({ delivery: await deliveryDetail(ctx, webhook, c.req.param('did')) })
  })

  app.post(`${base}/:did/redeliver`, async (c) => {
    const webhook = await requireWebhook(ctx, c.req.param('pid'), c.req.param('wid'))
    const did = c.req.param('did')
    const before = await findDelivery(ctx.db, webhook.id, did)
    if (!before) throw new HttpError(404, 'delivery_not_found', `No delivery ${did} for webhook ${webhook.id}.`)
    if (before.kind === 'test')
      throw new HttpError(409, 'cannot_redeliver_test', 'Test deliveries are not redelivered; send a new test instead.')
    if (!(await requeueDelivery(ctx.db, did, Date.now()))) {
      throw new HttpError(
        409,
        'delivery_not_finished',
        `Delivery ${did} is still ${before.status}; redeliver it once it has succeeded or failed.`,
      )
    }
    ctx.dispatcher.wake()
    return c.json({ delivery: await deliveryDetail(ctx, webhook, did) }, 202)
  })

  return app
}

/** `?limit=` as 1–200, default 50; 400 for anything else. */
export function readLimit(text: string | undefined): number {
  if (text === undefined) return 50
  const limit = Number(text)
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new HttpError(400, 'invalid_query', `"limit" must be a whole number 1–200 (got "${text.slice(0, 20)}").`)
  return limit
}
