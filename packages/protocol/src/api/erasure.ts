import * as v from 'valibot'

/** `DELETE /v1/projects/:pid/sessions/:sid` and `…/users/:uid`: what the erasure removed or cancelled. */
export const ErasureSchema = v.object({
  erased: v.object({
    events: v.pipe(v.number(), v.description('Events deleted.')),
    deliveriesCancelled: v.pipe(v.number(), v.description('Pending deliveries cancelled, logged as `erased`.')),
    attempts: v.pipe(v.number(), v.description('Attempts whose request and response bodies were wiped.')),
    frames: v.pipe(v.number(), v.description("Stream frames (the sessions' stored variables) deleted.")),
  }),
})
export type Erasure = v.InferOutput<typeof ErasureSchema>
