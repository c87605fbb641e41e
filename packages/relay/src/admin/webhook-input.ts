import * as v from 'valibot'
import {
  EVENT_PATTERN,
  EventSchema,
  generateSecret,
  isJson,
  newId,
  parseJsonPath,
  VARIABLE_NAME,
  type Json,
} from '@hookline/protocol'
import type { Webhook } from '../storage/webhooks.ts'

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
/** `POST /v1/projects/:pid/webhooks`. */
export const CreateWebhook = v.strictObject(
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
/** `PATCH …/webhooks/:wid`: any subset of the fields. */
export const PatchWebhook = v.strictObject(
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

export type WebhookCreate = v.InferOutput<typeof CreateWebhook>
export type WebhookPatch = v.InferOutput<typeof PatchWebhook>

/** A new webhook of the project from a create body, with the defaults DESIGN.md gives and a fresh secret. */
export function newWebhook(projectId: string, body: WebhookCreate, now = Date.now()): Webhook {
  const disabled = body.enabled === false
  return {
    id: newId('wh'),
    projectId,
    name: body.name,
    url: body.url,
    events: body.events,
    environment: body.environment ?? 'test',
    template: body.template ?? null,
    timeoutMs: body.timeoutMs ?? 10_000,
    retry: { maxAttempts: body.retry?.maxAttempts ?? 4, scheduleMs: body.retry?.scheduleMs ?? null },
    response: body.response ?? null,
    status: disabled ? 'disabled' : 'active',
    statusReason: disabled ? 'Disabled by hand.' : null,
    consecutiveFailures: 0,
    secret: generateSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    filter: null,
    autoResume: true,
    pausedBy: null,
    nextProbeAt: null,
    probeStep: 0,
    createdAt: now,
    updatedAt: now,
  }
}

/** The webhook after a patch: fields left out keep their value; `enabled` moves between disabled and active. */
export function patchedWebhook(webhook: Webhook, body: WebhookPatch, now = Date.now()): Webhook {
  const next: Webhook = { ...webhook, updatedAt: now }
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
  return next
}

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000

/** The webhook with a new secret; the old one keeps signing beside it for `ROTATION_OVERLAP_MS`. */
export function rotatedWebhook(webhook: Webhook, now = Date.now()): Webhook {
  return {
    ...webhook,
    secret: generateSecret(),
    previousSecret: webhook.secret,
    previousSecretExpiresAt: now + ROTATION_OVERLAP_MS,
    updatedAt: now,
  }
}

/**
 * `POST …/webhooks/:wid/test` (the body is optional): the sample event rendered with the
 * webhook's template by default; `plain: true` sends the fixed `webhook.test` body instead.
 */
export const TestSend = v.strictObject(
  {
    plain: v.optional(v.boolean('"plain" must be true or false.')),
    event: v.optional(
      v.strictObject(
        v.partial(v.pick(EventSchema, ['name', 'screen', 'props', 'vars', 'user', 'company'])).entries,
        '"event" may set "name", "screen", "props", "vars", "user" and "company".',
      ),
    ),
  },
  'The body must be {"plain"?: boolean, "event"?: {"name"?, "props"?, "vars"?, "screen"?, "user"?, "company"?}}.',
)
export type TestSendBody = v.InferOutput<typeof TestSend>
