import { Hono } from 'hono'
import type { RelayContext } from '../context.ts'
import { HttpError } from '../http/errors.ts'
import { listDeliveries, requeueDelivery } from '../storage/deliveries.ts'
import type { DeliveryStatus } from '../storage/schema.ts'
import { deliveryDetail, requireDelivery, type AdminEnv } from './lookups.ts'
import { nextCursor, readLimit } from './request.ts'
import { deliveryView } from './views.ts'

const STATUSES = ['pending', 'held', 'sending', 'succeeded', 'failed', 'filtered', 'erased'] as const
type ListedStatus = (typeof STATUSES)[number]

/** `/v1/projects/:pid/webhooks/:wid/deliveries/**` (admin): the delivery log, and redelivery. */
export function deliveryRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  const base = '/v1/projects/:pid/webhooks/:wid/deliveries'

  app.get(base, async (c) => {
    const { webhook } = c.var
    const status = readStatus(c.req.query('status'))
    const limit = readLimit(c.req.query('limit'))
    const cursor = c.req.query('cursor')
    // `held` is `pending` while the webhook is not active.
    const stored: DeliveryStatus | undefined = status === 'held' ? 'pending' : status
    const rows =
      status === 'held' && webhook.status === 'active'
        ? []
        : await listDeliveries(ctx.db, webhook.id, { status: stored, limit, cursor })
    const deliveries = rows
      .map((row) => deliveryView(row, webhook))
      .filter((row) => status !== 'pending' || row.status === 'pending')
    return c.json({ deliveries, nextCursor: nextCursor(rows, limit) })
  })

  app.get(`${base}/:did`, async (c) =>
    c.json({ delivery: await deliveryDetail(ctx, c.var.webhook, c.req.param('did')) }),
  )

  app.post(`${base}/:did/redeliver`, async (c) => {
    const { webhook } = c.var
    const did = c.req.param('did')
    const before = await requireDelivery(ctx, webhook, did)
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

function readStatus(text: string | undefined): ListedStatus | undefined {
  if (text === undefined) return undefined
  const status = STATUSES.find((known) => known === text)
  if (status) return status
  throw new HttpError(
    400,
    'invalid_query',
    `"status" must be one of ${STATUSES.join(', ')} (got "${text.slice(0, 40)}").`,
  )
}
