import { Hono } from 'hono'
import { WebhookReplaySchema } from '@hookline/protocol'
import type { RelayContext } from '../context.ts'
import { replay } from '../delivery/replay.ts'
import { HttpError } from '../http/errors.ts'
import type { AdminEnv } from './lookups.ts'
import { adminBody } from './request.ts'
import { webhookView } from './views.ts'

/** `…/webhooks/:wid/pause|resume|replay` (admin): what an operator does to a webhook's flow. */
export function webhookActionRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  const base = '/v1/projects/:pid/webhooks/:wid'

  // Paused by hand: new deliveries are held, and no recovery probe is sent until it is resumed.
  app.post(`${base}/pause`, async (c) => {
    const { webhook } = c.var
    if (webhook.status !== 'paused' || webhook.pausedBy !== 'hand') {
      await ctx.webhooks.setStatus(webhook, 'paused', 'Paused by hand.', { by: 'hand', nextProbeAt: null })
      ctx.log.info('webhook paused', { webhookId: webhook.id, by: 'hand' })
      await ctx.operational.emit({
        name: 'hookline.webhook.paused',
        webhook,
        reason: 'Paused by hand.',
        lastAttempt: null,
      })
    }
    return c.json({ webhook: webhookView(webhook) })
  })

  app.post(`${base}/resume`, async (c) => {
    const { webhook } = c.var
    if (webhook.status !== 'active') {
      await ctx.webhooks.setStatus(webhook, 'active', null)
      await ctx.dispatcher.drainInOrder(webhook.id, { resumed: true })
      ctx.log.info('webhook resumed', { webhookId: webhook.id })
      await ctx.operational.emit({
        name: 'hookline.webhook.resumed',
        webhook,
        reason: 'Resumed by hand.',
        lastAttempt: null,
      })
    }
    return c.json({ webhook: webhookView(webhook) })
  })

  app.post(`${base}/replay`, async (c) => {
    const { webhook } = c.var
    const body = await adminBody(c, WebhookReplaySchema, 'replay')
    if (body.until !== undefined && Date.parse(body.until) <= Date.parse(body.since))
      throw new HttpError(400, 'invalid_range', `"until" (${body.until}) must come after "since" (${body.since}).`)
    const answer = await replay(ctx.db, webhook, body)
    if (answer.queued > 0) {
      // In event order: one at a time, oldest first, like a drain after a resume.
      await ctx.dispatcher.drainInOrder(webhook.id)
      ctx.cluster.deliveriesDue()
    }
    ctx.log.info('webhook replay', { webhookId: webhook.id, queued: answer.queued })
    return c.json(answer, 202)
  })

  return app
}
