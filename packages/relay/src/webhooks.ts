import { Hono } from 'hono'
import * as v from 'valibot'
import {
  EVENT_PATTERN,
  generateSecret,
  isJson,
  newId,
  parseJsonPath,
  VARIABLE_NAME,
  type Json,
} from '@hookline/protocol'
import type { RelayContext, RelayEnv } from './context.ts'
import { HttpError } from './errors.ts'
import { adminBody, requireProject } from './projects.ts'
import { deleteWebhook, insertWebhook, saveWebhook, type Webhook } from './storage/webhooks.ts'
import { deliveryDetail } from './deliveries.ts'

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000
const MAX_SCHEDULE_STEP_MS = 27 * 60 * 60 * 1000

const url = v.pipe(
  v.string('"url" must be a string.'),
  v.maxLength(2000, '"url" must be at most 2000 characters.'),
  v.check((text) => URL.canParse(text), '"url" must be an absolute URL like "https://hooks.example.com/hookline".'),
)
const fields = {
  name: v.pipe(
    v.string('"name" must be a string.'),
    v.trim(),
    v.minLength(1, '"name" must not be empty.'),
    v.maxLength(200, '"name" must be at most 200 characters.'),
  ),
  url,
  events: v.pipe(
    v.array(
      v.pipe(v.string(), v.regex(EVENT_PATTERN, 'Event patterns look like "checkout-completed", "cart.*" or "*".')),
      '"events" must be an array of event names or patterns.',
    ),
    v.minLength(1, '"events" must name at least one event (or "*" for all).'),
    v.maxLength(100, '"events" may hold at most 100 patterns.'),
  ),
  environment: v.picklist(['test', 'live'], '"environment" must be "test" or "live".'),
  template: v.nullable(
    v.custom<Json>(
      (value) => isJson(value) && JSON.stringify(value).length <= 64 * 1024,
      '"template" must be JSON of at most 64 KiB.',
    ),
  ),
  timeoutMs: v.pipe(
    v.number('"timeoutMs" must be a number.'),
    v.integer('"timeoutMs" must be whole milliseconds.'),
    v.minValue(1000, '"timeoutMs" must be at least 1000.'),
    v.maxValue(30000, '"timeoutMs" must be at most 30000.'),
  ),
  retry: v.strictObject(
    {
      maxAttempts: v.optional(
        v.pipe(
          v.number(),
          v.integer(),
          v.minValue(1, '"retry.maxAttempts" must be 1–10.'),
          v.maxValue(10, '"retry.maxAttempts" must be 1–10.'),
        ),
      ),
      scheduleMs: v.optional(
        v.nullable(
          v.pipe(
            v.array(
              v.pipe(
                v.number(),
                v.integer(),
                v.minValue(0),
                v.maxValue(MAX_SCHEDULE_STEP_MS, '"retry.scheduleMs" steps may be at most 27 h.'),
              ),
              '"retry.scheduleMs" must be an array of delays in ms.',
            ),
            v.minLength(1, '"retry.scheduleMs" needs at least one delay.'),
            v.maxLength(9, '"retry.scheduleMs" holds at most 9 delays (10 attempts).'),
          ),
        ),
      ),
    },
    '"retry" must be {"maxAttempts"?: 1..10, "scheduleMs"?: [ms, …]}.',
  ),
  response: v.nullable(
    v.strictObject(
      {
        set: v.pipe(
          v.record(
            v.pipe(v.string(), v.regex(VARIABLE_NAME, 'Variable names are identifiers like "orderStatus".')),
            v.pipe(
              v.string(),
              v.check((path) => parseJsonPath(path) !== null, 'Paths look like "$.status" or "$.items[0].sku".'),
            ),
          ),
          v.check((set) => Object.keys(set).length <= 50, '"response.set" may map at most 50 variables.'),
        ),
      },
      '"response" must be {"set": {"varName": "$.json.path"}}.',
    ),
  ),
  enabled: v.boolean('"enabled" must be true or false.'),
}
const CreateWebhook = v.strictObject(
  {
    name: fields.name,
    url,
    events: fields.events,
    environment: v.optional(fields.environment),
    template: v.optional(fields.template),
    timeoutMs: v.optional(fields.timeoutMs),
    retry: v.optional(fields.retry),
    response: v.optional(fields.response),
    enabled: v.optional(fields.enabled),
  },
  'The body must be a webhook like {"name":"CRM","url":"https://…","events":["checkout-completed"]}.',
)
const PatchWebhook = v.strictObject(
  {
    name: v.optional(fields.name),
    url: v.optional(url),
    events: v.optional(fields.events),
    environment: v.optional(fields.environment),
    template: v.optional(fields.template),
    timeoutMs: v.optional(fields.timeoutMs),
    retry: v.optional(fields.retry),
    response: v.optional(fields.response),
    enabled: v.optional(fields.enabled),
  },
  'The body must hold the webhook fields to change.',
)

/** A webhook as the API shows it: never its secrets. */
export function publicWebhook(webhook: Webhook) {
  return {
    id: webhook.id,
    projectId: webhook.projectId,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    environment: webhook.environment,
    template: webhook.template,
    timeoutMs: webhook.timeoutMs,
    retry: webhook.retry,
    response: webhook.response,
    enabled: webhook.status !== 'disabled',
    status: webhook.status,
    statusReason: webhook.statusReason,
    consecutiveFailures: webhook.consecutiveFailures,
    secretRotating: webhook.previousSecretExpiresAt !== null && webhook.previousSecretExpiresAt > Date.now(),
    createdAt: new Date(webhook.createdAt).toISOString(),
    updatedAt: new Date(webhook.updatedAt).toISOString(),
  }
}

/** `/v1/projects/:pid/webhooks/**` (admin). */
export function webhookRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  const base = '/v1/projects/:pid/webhooks'

  const checkUrl = (text: string) => {
    const checked = ctx.ssrf.checkUrl(new URL(text))
    if (!checked.ok) throw new HttpError(400, 'url_not_allowed', checked.error.message, { rule: checked.error.rule })
  }

  app.post(base, async (c) => {
    const pid = c.req.param('pid')
    await requireProject(ctx, pid)
    const body = await adminBody(c, CreateWebhook, 'webhook')
    checkUrl(body.url)
    const now = Date.now()
    const webhook: Webhook = {
      id: newId('wh'),
      projectId: pid,
      name: body.name,
      url: body.url,
      events: body.events,
      environment: body.environment ?? 'test',
      template: body.template ?? null,
      timeoutMs: body.timeoutMs ?? 10_000,
      retry: { maxAttempts: body.retry?.maxAttempts ?? 4, scheduleMs: body.retry?.scheduleMs ?? null },
      response: body.response ?? null,
      status: body.enabled === false ? 'disabled' : 'active',
      statusReason: body.enabled === false ? 'Disabled by hand.' : null,
      consecutiveFailures: 0,
      secret: generateSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    }
    await insertWebhook(ctx.db, webhook)
    ctx.webhooks.forget(pid)
    ctx.log.info('webhook created', { projectId: pid, webhookId: webhook.id })
    return c.json({ webhook: publicWebhook(webhook), secret: webhook.secret }, 201)
  })

  app.get(base, async (c) => {
    const pid = c.req.param('pid')
    await requireProject(ctx, pid)
    return c.json({ webhooks: (await ctx.webhooks.forProject(pid)).map(publicWebhook) })
  })

  app.get(`${base}/:wid`, async (c) =>
    c.json({ webhook: publicWebhook(await requireWebhook(ctx, c.req.param('pid'), c.req.param('wid'))) }),
  )

  app.patch(`${base}/:wid`, async (c) => {
    const webhook = await requireWebhook(ctx, c.req.param('pid'), c.req.param('wid'))
    const body = await adminBody(c, PatchWebhook, 'webhook change')
    if (body.url !== undefined) checkUrl(body.url)
    const next: Webhook = { ...webhook, updatedAt: Date.now() }
    if (body.name !== undefined) next.name = body.name
    if (body.url !== undefined) next.url = body.url
    if (body.events !== undefined) next.events = body.events
    if (body.environment !== undefined) next.environment = body.environment
    if (body.template !== undefined) next.template = body.template
    if (body.timeoutMs !== undefined) next.timeoutMs = body.timeoutMs
    if (body.retry !== undefined)
      next.retry = {
        maxAttempts: body.retry.maxAttempts ?? webhook.retry.maxAttempts,
        scheduleMs: body.retry.scheduleMs === undefined ? webhook.retry.scheduleMs : body.retry.scheduleMs,
      }
    if (body.response !== undefined) next.response = body.response
    if (body.enabled === false && webhook.status !== 'disabled')
      Object.assign(next, { status: 'disabled', statusReason: 'Disabled by hand.' })
    if (body.enabled === true && webhook.status === 'disabled')
      Object.assign(next, { status: 'active', statusReason: null, consecutiveFailures: 0 })
    await saveWebhook(ctx.db, next)
    ctx.webhooks.forget(webhook.projectId)
    if (next.status === 'active' && webhook.status !== 'active') ctx.dispatcher.drainInOrder(webhook.id)
    return c.json({ webhook: publicWebhook(next) })
  })

  app.delete(`${base}/:wid`, async (c) => {
    const pid = c.req.param('pid')
    const wid = c.req.param('wid')
    if (!(await deleteWebhook(ctx.db, pid, wid))) throw webhookNotFound(pid, wid)
    ctx.webhooks.forget(pid)
    ctx.log.info('webhook deleted', { projectId: pid, webhookId: wid })
    return c.body(null, 204)
  })

  app.post(`${base}/:wid/rotate-secret`, async (c) => {
    const webhook = await requireWebhook(ctx, c.req.param('pid'), c.req.param('wid'))
    const now = Date.now()
    const next: Webhook = {
      ...webhook,
      secret: generateSecret(),
      previousSecret: webhook.secret,
      previousSecretExpiresAt: now + ROTATION_OVERLAP_MS,
      updatedAt: now,
    }
    await saveWebhook(ctx.db, next)
    ctx.webhooks.forget(webhook.projectId)
    ctx.log.info('webhook secret rotated', { webhookId: webhook.id })
    return c.json({ secret: next.secret, previousSecretExpiresAt: new Date(now + ROTATION_OVERLAP_MS).toISOString() })
  })

  app.post(`${base}/:wid/test`, async (c) => {
    const webhook = await requireWebhook(ctx, c.req.param('pid'), c.req.param('wid'))
    const deliveryId = await ctx.dispatcher.sendTest(webhook)
    return c.json({ delivery: await deliveryDetail(ctx, webhook, deliveryId) })
  })

  app.post(`${base}/:wid/resume`, async (c) => {
    const webhook = await requireWebhook(ctx, c.req.param('pid'), c.req.param('wid'))
    if (webhook.status !== 'active') {
      await ctx.webhooks.setStatus(webhook, 'active', null)
      ctx.dispatcher.drainInOrder(webhook.id)
      ctx.log.info('webhook resumed', { webhookId: webhook.id })
    }
    return c.json({ webhook: publicWebhook(webhook) })
  })

  return app
}

export async function requireWebhook(ctx: RelayContext, projectId: string, webhookId: string): Promise<Webhook> {
  const webhook = await ctx.webhooks.get(webhookId)
  if (!webhook || webhook.projectId !== projectId) {
    await requireProject(ctx, projectId)
    throw webhookNotFound(projectId, webhookId)
  }
  return webhook
}

function webhookNotFound(projectId: string, webhookId: string): HttpError {
  return new HttpError(
    404,
    'webhook_not_found',
    `No webhook ${webhookId} in project ${projectId}; list them with GET /v1/projects/${projectId}/webhooks.`,
  )
}
