import { Hono } from 'hono'
import { WebhookCreateSchema, WebhookPatchSchema, WebhookTestSchema } from '@hookline/protocol'
import { sampleEvent } from '../delivery/sample-event.ts'
import { sendTest, type TestBody } from '../delivery/test-send.ts'
import type { RelayContext } from '../context.ts'
import { HttpError, invalidInput } from '../http/errors.ts'
import { unorderLanes } from '../storage/lanes.ts'
import { deleteWebhook, insertWebhook, saveWebhook } from '../storage/webhooks.ts'
import { deliveryDetail, webhookNotFound, type AdminEnv } from './lookups.ts'
import { adminBody, hasBody } from './request.ts'
import { webhookView } from './views.ts'
import { newWebhook, patchedWebhook, rotatedWebhook } from './webhook-input.ts'

/** `/v1/projects/:pid/webhooks/**` (admin), but for the delivery log (`deliveries.ts`). */
export function webhookRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  const base = '/v1/projects/:pid/webhooks'

  // Refused at once when the guard can tell from the URL alone; names are judged again at connect time.
  const checkUrl = (text: string) => {
    const checked = ctx.ssrf.checkUrl(new URL(text))
    if (!checked.ok) throw new HttpError(400, 'url_not_allowed', checked.error.message, { rule: checked.error.rule })
  }

  app.post(base, async (c) => {
    const pid = c.var.project.id
    const body = await adminBody(c, WebhookCreateSchema, 'webhook')
    checkUrl(body.url)
    const webhook = newWebhook(pid, body)
    await insertWebhook(ctx.db, ctx.secrets, webhook)
    ctx.webhooks.forget(pid)
    ctx.log.info('webhook created', { projectId: pid, webhookId: webhook.id })
    return c.json({ webhook: webhookView(webhook), secret: webhook.secret }, 201)
  })

  app.get(base, async (c) => c.json({ webhooks: (await ctx.webhooks.forProject(c.var.project.id)).map(webhookView) }))

  app.get(`${base}/:wid`, (c) => c.json({ webhook: webhookView(c.var.webhook) }))

  app.patch(`${base}/:wid`, async (c) => {
    const { webhook } = c.var
    const body = await adminBody(c, WebhookPatchSchema, 'webhook change')
    if (body.url !== undefined) checkUrl(body.url)
    const next = patchedWebhook(webhook, body)
    // Turning probing on or off (or changing its backoff) while paused by failures starts afresh.
    if (body.autoResume !== undefined && next.status === 'paused' && next.pausedBy === 'failures') {
      const delay = ctx.dispatcher.probeDelay(next, 0)
      Object.assign(next, { probeStep: 0, nextProbeAt: delay === null ? null : Date.now() + delay })
    }
    await saveWebhook(ctx.db, ctx.secrets, next)
    if (webhook.ordering === 'session' && next.ordering === 'none') {
      await unorderLanes(ctx.db, webhook.id)
      ctx.dispatcher.wake()
      ctx.cluster.deliveriesDue()
    }
    ctx.webhooks.forget(webhook.projectId)
    if (next.status === 'active' && webhook.status !== 'active')
      await ctx.dispatcher.drainInOrder(webhook.id, { resumed: true })
    if (next.status !== webhook.status) {
      const name = next.status === 'active' ? 'hookline.webhook.resumed' : 'hookline.webhook.disabled'
      const reason = next.status === 'active' ? 'Enabled by hand.' : 'Disabled by hand.'
      await ctx.operational.emit({ name, webhook: next, reason, lastAttempt: null })
    }
    return c.json({ webhook: webhookView(next) })
  })

  app.delete(`${base}/:wid`, async (c) => {
    const { projectId, id } = c.var.webhook
    if (!(await deleteWebhook(ctx.db, projectId, id))) throw webhookNotFound(projectId, id)
    ctx.webhooks.forget(projectId)
    ctx.log.info('webhook deleted', { projectId, webhookId: id })
    return c.body(null, 204)
  })

  app.post(`${base}/:wid/rotate-secret`, async (c) => {
    const { webhook } = c.var
    const next = rotatedWebhook(webhook)
    await saveWebhook(ctx.db, ctx.secrets, next)
    ctx.webhooks.forget(webhook.projectId)
    ctx.log.info('webhook secret rotated', { webhookId: webhook.id })
    const expiresAt = new Date(next.previousSecretExpiresAt ?? next.updatedAt).toISOString()
    return c.json({ secret: next.secret, previousSecretExpiresAt: expiresAt })
  })

  app.post(`${base}/:wid/test`, async (c) => {
    const { webhook } = c.var
    // The body is optional: a bare POST renders the sample event, as before a designer touched anything.
    const body = hasBody(c.req.raw) ? await adminBody(c, WebhookTestSchema, 'test send') : {}
    let what: TestBody = { plain: true }
    if (body.plain !== true) {
      const sample = await sampleEvent(ctx.db, webhook, body.event ?? {})
      if (!sample.ok) throw invalidInput('The sample event is not valid', sample.problems)
      what = { plain: false, event: sample.event }
    }
    const deliveryId = await sendTest(ctx, webhook, what)
    return c.json({ delivery: await deliveryDetail(ctx, webhook, deliveryId) })
  })

  return app
}
