import * as v from 'valibot'
import { parseJsonPath } from '../jsonpath.ts'
import { VARIABLE_NAME } from '../limits.ts'
import { EVENT_PATTERN } from '../patterns.ts'
import type { Json } from '../types.ts'
import { EventSchema, isJson } from '../validate.ts'

// The admin API's webhook bodies: the relay validates with these, the OpenAPI document is made of them.

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
  // One custom schema rather than nullable(custom<Json>): valibot's nullable over the recursive
  // Json type is "excessively deep" for tsc when an app checks the shipped .d.ts.
  template: v.custom<Json | null>(
    (value) => value === null || (isJson(value) && JSON.stringify(value).length <= 64 * 1024),
    '"template" must be JSON of at most 64 KiB, or null.',
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
  },
  'The body must hold the webhook fields to change.',
)

/**
 * `POST …/webhooks/:wid/test` (the body is optional): the sample event rendered with the
 * webhook's template by default; `plain: true` sends the fixed `webhook.test` body instead.
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
export type WebhookTest = v.InferInput<typeof WebhookTestSchema>

export type WebhookCreate = v.InferInput<typeof WebhookCreateSchema>
export type WebhookPatch = v.InferInput<typeof WebhookPatchSchema>

const timestamp = v.pipe(v.string(), v.isoTimestamp())

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
export type WebhookStatus = Webhook['status']
