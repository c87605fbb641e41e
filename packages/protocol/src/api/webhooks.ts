import * as v from 'valibot'
import { parseJsonPath } from '../jsonpath.ts'
import { VARIABLE_NAME } from '../limits.ts'
import { EVENT_PATTERN } from '../patterns.ts'
import type { Json, JsonObject } from '../types.ts'
import { compileFilter } from '../filter.ts'
import { EventSchema, isJson, isPlainObject } from '../validate.ts'
import { WEBHOOK_RETRY, WEBHOOK_TIMEOUT_MS } from './webhook-delivery-limits.ts'

// The admin API's webhook bodies: the relay validates with these, the OpenAPI document is made of them.

const MAX_SCHEDULE_STEP_MS = WEBHOOK_RETRY.waitMs.max
const ATTEMPTS_MESSAGE = `"retry.maxAttempts" must be ${WEBHOOK_RETRY.maxAttempts.min}–${WEBHOOK_RETRY.maxAttempts.max}.`
const timestamp = v.pipe(v.string(), v.isoTimestamp())

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
  // One custom schema rather than nullable(custom<Json>): valibot's nullable over the recursive
  // Json type is "excessively deep" for tsc when an app checks the shipped .d.ts.
  template: v.custom<Json | null>(
    (value) => value === null || (isJson(value) && JSON.stringify(value).length <= 64 * 1024),
    '"template" must be JSON of at most 64 KiB, or null.',
  ),
  timeoutMs: v.pipe(
    v.number('"timeoutMs" must be a number.'),
    v.integer('"timeoutMs" must be whole milliseconds.'),
    v.minValue(WEBHOOK_TIMEOUT_MS.min, `"timeoutMs" must be at least ${WEBHOOK_TIMEOUT_MS.min}.`),
    v.maxValue(WEBHOOK_TIMEOUT_MS.max, `"timeoutMs" must be at most ${WEBHOOK_TIMEOUT_MS.max}.`),
  ),
  retry: v.strictObject(
    {
      maxAttempts: v.optional(
        v.pipe(
          v.number(),
          v.integer(),
          v.minValue(WEBHOOK_RETRY.maxAttempts.min, ATTEMPTS_MESSAGE),
          v.maxValue(WEBHOOK_RETRY.maxAttempts.max, ATTEMPTS_MESSAGE),
        ),
      ),
      scheduleMs: v.optional(
        v.nullable(
          v.pipe(
            v.array(
              v.pipe(
                v.number(),
                v.integer(),
                v.minValue(WEBHOOK_RETRY.waitMs.min),
                v.maxValue(WEBHOOK_RETRY.waitMs.max, '"retry.scheduleMs" steps may be at most 27 h.'),
              ),
              '"retry.scheduleMs" must be an array of delays in ms.',
            ),
            v.minLength(WEBHOOK_RETRY.scheduleSteps.min, '"retry.scheduleMs" needs at least one delay.'),
            v.maxLength(
              WEBHOOK_RETRY.scheduleSteps.max,
              `"retry.scheduleMs" holds at most ${WEBHOOK_RETRY.scheduleSteps.max} delays (${WEBHOOK_RETRY.maxAttempts.max} attempts).`,
            ),
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
  filter: v.nullable(
    v.pipe(
      v.custom<JsonObject>(
        (value) => isPlainObject(value) && isJson(value),
        '"filter" must be a JSON object like {"data.total": {"$gte": 100}}.',
      ),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return
        const compiled = compileFilter(dataset.value)
        if (!compiled.ok) addIssue({ message: compiled.message })
      }),
      v.description(
        'A MongoDB-style query over the default envelope (`type`, `data.*`, `session.*`, `vars.*`, `user.*`…); events it leaves out are logged as `filtered`.',
      ),
    ),
  ),
  ordering: v.pipe(
    v.picklist(['none', 'session'], '"ordering" must be "none" or "session".'),
    v.description(
      '`session`: one delivery of each (webhook, session) lane at a time, in event order (`ts`, then `id`); a failing head holds only its own lane, which moves on once its retries run out (that delivery is then `outOfOrder`). `none` (the default): no order.',
    ),
  ),
  autoResume: v.union(
    [
      v.boolean(),
      v.strictObject({
        scheduleMs: v.pipe(
          v.array(
            v.pipe(
              v.number(),
              v.integer(),
              v.minValue(1000, '"autoResume.scheduleMs" steps must be at least 1000 ms.'),
              v.maxValue(MAX_SCHEDULE_STEP_MS, '"autoResume.scheduleMs" steps may be at most 27 h.'),
            ),
          ),
          v.minLength(1, '"autoResume.scheduleMs" needs at least one delay.'),
          v.maxLength(20, '"autoResume.scheduleMs" holds at most 20 delays.'),
        ),
      }),
    ],
    '"autoResume" must be true, false or {"scheduleMs": [ms, …]} (the last step repeats).',
  ),
}
/** `POST /v1/projects/:pid/webhooks`. */
export const WebhookCreateSchema = v.strictObject(
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
    filter: v.optional(fields.filter),
    autoResume: v.optional(fields.autoResume),
    ordering: v.optional(fields.ordering),
  },
  'The body must be a webhook like {"name":"CRM","url":"https://…","events":["checkout-completed"]}.',
)
/** `PATCH …/webhooks/:wid`: any subset of the fields. */
export const WebhookPatchSchema = v.strictObject(
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
    filter: v.optional(fields.filter),
    autoResume: v.optional(fields.autoResume),
    ordering: v.optional(fields.ordering),
  },
  'The body must hold the webhook fields to change.',
)

/**
 * `POST …/webhooks/:wid/test` (the body is optional): a sample event rendered with the webhook's
 * template by default; `plain: true` sends the fixed `webhook.test` body instead.
 */
export const WebhookTestSchema = v.strictObject(
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

const isoBound = (field: string) =>
  v.pipe(
    v.string(`"${field}" must be an ISO 8601 time.`),
    v.check(
      (text) => text.length <= 40 && !Number.isNaN(Date.parse(text)),
      `"${field}" must be an ISO 8601 time like "2026-11-24T12:00:00Z".`,
    ),
  )

/**
 * `POST …/webhooks/:wid/replay`: queues the project's events received in [since, until) that the
 * webhook subscribes to and its filter admits, in event order.
 */
export const WebhookReplaySchema = v.strictObject(
  {
    since: isoBound('since'),
    until: v.optional(isoBound('until')),
    sessionId: v.optional(v.pipe(v.string('"sessionId" must be a string.'), v.maxLength(100))),
    onlyFailed: v.optional(v.boolean('"onlyFailed" must be true or false.')),
    includeDelivered: v.optional(v.boolean('"includeDelivered" must be true or false.')),
  },
  'The body must be {"since": ISO time, "until"?, "sessionId"?, "onlyFailed"?, "includeDelivered"?}.',
)
/** What a replay queued; `more` when it stopped at its cap (replay again from the last event's time). */
export const WebhookReplayedSchema = v.object({
  queued: v.number(),
  skipped: v.pipe(
    v.object({ delivered: v.number(), queued: v.number(), filtered: v.number(), notFailed: v.number() }),
    v.description(
      'Events left out: already delivered, already waiting to be sent, left out by the filter, or (onlyFailed) never failed.',
    ),
  ),
  more: v.boolean(),
})

export type WebhookCreate = v.InferInput<typeof WebhookCreateSchema>
export type WebhookPatch = v.InferInput<typeof WebhookPatchSchema>

/** A webhook as the admin API answers with it: never its secret, which only create and rotation show. */
export const WebhookSchema = v.object({
  id: v.string(),
  projectId: v.string(),
  name: v.string(),
  url: v.string(),
  events: v.array(v.string()),
  environment: fields.environment,
  template: fields.template,
  timeoutMs: v.number(),
  retry: v.object({ maxAttempts: v.number(), scheduleMs: v.nullable(v.array(v.number())) }),
  response: fields.response,
  enabled: v.boolean(),
  status: v.pipe(
    v.picklist(['active', 'paused', 'disabled']),
    v.description('"paused" after 10 consecutive failures (deliveries held); "disabled" by a 410 or by hand.'),
  ),
  statusReason: v.nullable(v.string()),
  consecutiveFailures: v.number(),
  filter: fields.filter,
  autoResume: fields.autoResume,
  ordering: fields.ordering,
  pausedBy: v.pipe(
    v.nullable(v.picklist(['hand', 'failures'])),
    v.description('While paused: `hand` (POST …/pause; never probed) or `failures` (probed to recover).'),
  ),
  nextProbeAt: v.pipe(v.nullable(timestamp), v.description('When the next recovery probe of a paused webhook is due.')),
  secretRotating: v.pipe(v.boolean(), v.description('True while the previous secret still signs beside the new one.')),
  createdAt: timestamp,
  updatedAt: timestamp,
})
const secret = v.pipe(v.string(), v.startsWith('whsec_'))
/** `POST …/webhooks` → 201: the signing secret is shown here and on rotation only. */
export const WebhookCreatedSchema = v.object({ webhook: WebhookSchema, secret })
export const WebhookListSchema = v.object({ webhooks: v.array(WebhookSchema) })
export const WebhookAnswerSchema = v.object({ webhook: WebhookSchema })
/** `POST …/webhooks/:wid/rotate-secret`: the old secret keeps signing until `previousSecretExpiresAt`. */
export const SecretRotatedSchema = v.object({ secret, previousSecretExpiresAt: timestamp })

export type Webhook = v.InferOutput<typeof WebhookSchema>
export type WebhookCreated = v.InferOutput<typeof WebhookCreatedSchema>
export type WebhookList = v.InferOutput<typeof WebhookListSchema>
export type WebhookAnswer = v.InferOutput<typeof WebhookAnswerSchema>
export type SecretRotated = v.InferOutput<typeof SecretRotatedSchema>
export type WebhookTest = v.InferInput<typeof WebhookTestSchema>
export type WebhookReplay = v.InferInput<typeof WebhookReplaySchema>
export type WebhookReplayed = v.InferOutput<typeof WebhookReplayedSchema>
export type WebhookStatus = Webhook['status']
