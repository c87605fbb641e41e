import * as v from 'valibot'
import { ProjectConfigSchema } from '../validate.ts'

// The smaller answers every flow shares: errors, ingest, config, the inbound receipt.

/** The body of every relay error response. */
export const ErrorBodySchema = v.object({
  error: v.object({
    code: v.pipe(v.string(), v.description('snake_case and stable: programs branch on it.')),
    message: v.pipe(v.string(), v.description('A sentence a person can act on.')),
    details: v.optional(v.record(v.string(), v.unknown())),
  }),
})

/** `POST /v1/events` → 202. */
export const IngestAnswerSchema = v.object({
  accepted: v.array(v.string()),
  duplicates: v.array(v.string()),
  rejected: v.array(v.object({ id: v.nullable(v.string()), error: ErrorBodySchema.entries.error })),
  deliveries: v.optional(
    v.pipe(
      v.record(v.string(), v.number()),
      v.description(
        'How many webhooks each accepted or duplicate event goes to (its fan-out), by id: the browser rolls an optimistic update back once that many deliveries finally failed.',
      ),
    ),
  ),
})

/** `GET|PUT /v1/projects/:pid/config` (admin) wrap the config; `GET /v1/config` (browser) answers it bare. */
export const ConfigAnswerSchema = v.object({ config: ProjectConfigSchema })

/** `POST /v1/inbound/:lid` → 202: what the webhook set, and the paths its body lacked. */
export const InboundAcceptedSchema = v.object({
  accepted: v.literal(true),
  id: v.pipe(v.string(), v.description("The request's `webhook-id`.")),
  seq: v.pipe(v.number(), v.description('The stream frame id it was published as.')),
  target: v.union([v.literal('broadcast'), v.object({ session: v.string() })]),
  set: v.record(v.string(), v.unknown()),
  missing: v.array(v.string()),
})
/** `POST /v1/inbound/:lid` → 200 for a `webhook-id` seen before: nothing happened a second time. */
export const InboundDuplicateSchema = v.object({ duplicate: v.literal(true), id: v.string() })

export type ConfigAnswer = v.InferOutput<typeof ConfigAnswerSchema>
