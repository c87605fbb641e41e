import type * as v from 'valibot'
import type { ListenerCreateSchema, ListenerPatchSchema } from '@hookline/protocol'
import type { ListenerSettings } from '../storage/listeners.ts'

// The body schemas live in @hookline/protocol; here, what a valid body stores.

/** The settings of a new listener from a valid create body, with the defaults docs/api.md gives. */
export function newListenerSettings(body: v.InferOutput<typeof ListenerCreateSchema>): ListenerSettings {
  return {
    name: body.name,
    set: body.set,
    target: body.target ?? 'broadcast',
    verify: body.verify ?? true,
    environment: body.environment ?? 'test',
  }
}

/** The fields a valid patch body changes; those left out keep their value. */
export function listenerPatch(body: v.InferOutput<typeof ListenerPatchSchema>): Partial<ListenerSettings> {
  const patch: Partial<ListenerSettings> = {}
  if (body.name !== undefined) patch.name = body.name
  if (body.set !== undefined) patch.set = body.set
  if (body.target !== undefined) patch.target = body.target
  if (body.verify !== undefined) patch.verify = body.verify
  if (body.environment !== undefined) patch.environment = body.environment
  return patch
}
