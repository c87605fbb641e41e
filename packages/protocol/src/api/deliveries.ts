import * as v from 'valibot'

// What the delivery log answers with (`…/webhooks/:wid/deliveries/**`, `…/test`).

const timestamp = v.pipe(v.string(), v.isoTimestamp())
const headers = v.record(v.string(), v.string())

/**
 * Where a delivery stands; `held` is pending while the webhook is not active, `filtered` an event
 * the webhook's filter left out and `erased` one cancelled by an erasure (neither ever sent).
 */
export const DeliveryStatusSchema = v.picklist([
  'pending',
  'held',
  'sending',
  'succeeded',
  'failed',
  'filtered',
  'erased',
])

/** One delivery of one message to one webhook. */
export const DeliverySchema = v.object({
  id: v.string(),
  webhookId: v.string(),
  eventId: v.nullable(v.string()),
  messageId: v.string(),
  kind: v.picklist(['event', 'test']),
  sessionId: v.nullable(v.string()),
  status: DeliveryStatusSchema,
  attemptCount: v.number(),
  nextAttemptAt: v.nullable(timestamp),
  lastStatus: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  latencyMs: v.nullable(v.number()),
  createdAt: timestamp,
  finishedAt: v.nullable(timestamp),
  outOfOrder: v.pipe(
    v.boolean(),
    v.description(
      'True once its session\'s lane (`ordering: "session"`) moved on without it: its retries ran out, so later events of the session went ahead of it, and a redelivery reaches the endpoint after them.',
    ),
  ),
})

/** One attempt as the log keeps it: the request sent, and what came back (`status` 0: no response). */
export const AttemptSchema = v.object({
  attempt: v.number(),
  startedAt: timestamp,
  status: v.number(),
  latencyMs: v.number(),
  request: v.object({ headers, body: v.string() }),
  responseHeaders: v.nullable(headers),
  responseBody: v.nullable(v.string()),
  error: v.nullable(v.string()),
})

/** A delivery with every attempt, as `GET …/deliveries/:did`, `…/redeliver` and `…/test` give it. */
export const DeliveryDetailSchema = v.object({ ...DeliverySchema.entries, attempts: v.array(AttemptSchema) })
export const DeliveryAnswerSchema = v.object({ delivery: DeliveryDetailSchema })
export const DeliveryListSchema = v.object({ deliveries: v.array(DeliverySchema), nextCursor: v.nullable(v.string()) })

export type Delivery = v.InferOutput<typeof DeliverySchema>
export type Attempt = v.InferOutput<typeof AttemptSchema>
export type DeliveryDetail = v.InferOutput<typeof DeliveryDetailSchema>
export type DeliveryAnswer = v.InferOutput<typeof DeliveryAnswerSchema>
export type DeliveryList = v.InferOutput<typeof DeliveryListSchema>
