import * as v from 'valibot'
import type { HooklineEvent } from '../types.ts'
import { DeliveryStatusSchema } from './deliveries.ts'

/** One line of `GET /v1/projects/:pid/events`: the event as received, and its deliveries so far. */
export const EventLogEntrySchema = v.object({
  id: v.string(),
  name: v.string(),
  environment: v.picklist(['test', 'live']),
  sessionId: v.string(),
  ts: v.string(),
  receivedAt: v.pipe(v.string(), v.isoTimestamp()),
  valid: v.pipe(
    v.boolean(),
    v.description("False when the props failed the event's schema (still delivered, but counted)."),
  ),
  event: v.custom<HooklineEvent>((input) => typeof input === 'object' && input !== null),
  deliveries: v.pipe(
    v.object({
      total: v.number(),
      succeeded: v.number(),
      failed: v.number(),
      pending: v.number(),
      held: v.number(),
      filtered: v.number(),
      erased: v.number(),
    }),
    v.description(
      '`total` counts the deliveries meant to be sent; `filtered` and `erased` ones never were. `held` counts those a paused or disabled webhook holds (`webhooks[].status` `held`), `pending` those waiting to be sent or being sent: a held one is not among them.',
    ),
  ),
  webhooks: v.pipe(
    v.array(v.object({ webhookId: v.string(), deliveryId: v.string(), status: DeliveryStatusSchema })),
    v.description(
      "What became of the event at each webhook: `filtered` when the webhook's filter left it out, `held` while the webhook is paused or disabled (as its delivery log says; `deliveries.held` counts it).",
    ),
  ),
})
export const EventLogSchema = v.object({ events: v.array(EventLogEntrySchema), nextCursor: v.nullable(v.string()) })

export type EventLogEntry = v.InferOutput<typeof EventLogEntrySchema>
export type EventLog = v.InferOutput<typeof EventLogSchema>
