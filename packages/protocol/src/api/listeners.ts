import * as v from 'valibot'
import { parseJsonPath } from '../jsonpath.ts'
import { VARIABLE_NAME } from '../limits.ts'

// The admin API's listener bodies: the relay validates with these, the OpenAPI document is made of them.

const MAX_MAPPINGS = 50
const jsonPath = (message: string) =>
  v.pipe(
    v.string(message),
    v.check((path) => parseJsonPath(path) !== null, message),
  )

const name = v.pipe(
  v.string('must be a non-empty string of at most 200 characters'),
  v.trim(),
  v.minLength(1, 'must be a non-empty string of at most 200 characters'),
  v.maxLength(200, 'must be a non-empty string of at most 200 characters'),
)
const setMessage = `must map 1–${MAX_MAPPINGS} variable names to JSON paths, like {"orderStatus":"$.data.status"}`
const set = v.pipe(
  v.record(
    v.pipe(
      v.string(),
      v.regex(VARIABLE_NAME, 'is not a variable name (a letter or _, then letters, digits or _, at most 64)'),
    ),
    jsonPath('must be a JSON path like "$.data.status" or "$.items[0].sku"'),
    setMessage,
  ),
  v.check((mappings) => {
    const count = Object.keys(mappings).length
    return count > 0 && count <= MAX_MAPPINGS
  }, setMessage),
  v.description('Variable name → JSON path into the inbound body, like {"orderStatus":"$.data.status"}.'),
)
const target = v.union(
  [
    v.literal('broadcast'),
    v.strictObject({ session: jsonPath('must be a JSON path to the session id, like "$.session.id"') }),
  ],
  'must be "broadcast" or {"session":"$.path.to.session.id"}',
)
const verify = v.boolean('must be true or false')
const environment = v.pipe(
  v.picklist(['test', 'live'], 'must be "test" or "live"'),
  v.description('Whose sessions the listener\'s webhooks reach: test or live, never both. Default "test".'),
)

/** `POST /v1/projects/:pid/listeners`. */
export const ListenerCreateSchema = v.strictObject(
  { name, set, target: v.optional(target), verify: v.optional(verify), environment: v.optional(environment) },
  'Send a JSON object like {"name":"orders","set":{"orderStatus":"$.status"}}',
)

/** `PATCH …/listeners/:lid`: any subset of the fields. */
export const ListenerPatchSchema = v.strictObject(
  {
    name: v.optional(name),
    set: v.optional(set),
    target: v.optional(target),
    verify: v.optional(verify),
    environment: v.optional(environment),
  },
  'Send a JSON object with the fields to change, like {"verify":false}',
)

export type ListenerCreate = v.InferInput<typeof ListenerCreateSchema>
export type ListenerPatch = v.InferInput<typeof ListenerPatchSchema>
/** Where an inbound webhook's variables go: every open session of the project, or the one a path names. */
export type ListenerTarget = 'broadcast' | { session: string }

const timestamp = v.pipe(v.string(), v.isoTimestamp())

/** A listener as the admin API answers with it; `url` is the relay path its sender posts to. */
export const ListenerSchema = v.object({
  id: v.string(),
  projectId: v.string(),
  name: v.string(),
  url: v.pipe(v.string(), v.startsWith('/v1/inbound/')),
  set: v.record(v.string(), v.string()),
  target: v.union([v.literal('broadcast'), v.object({ session: v.string() })]),
  verify: v.boolean(),
  environment: v.picklist(['test', 'live']),
  createdAt: timestamp,
  updatedAt: timestamp,
})
/** `POST …/listeners` → 201: the verifying secret is shown here only. */
export const ListenerCreatedSchema = v.object({
  listener: ListenerSchema,
  secret: v.pipe(v.string(), v.startsWith('whsec_')),
})
export const ListenerListSchema = v.object({ listeners: v.array(ListenerSchema) })
export const ListenerAnswerSchema = v.object({ listener: ListenerSchema })

export type Listener = v.InferOutput<typeof ListenerSchema>
export type ListenerCreated = v.InferOutput<typeof ListenerCreatedSchema>
export type ListenerList = v.InferOutput<typeof ListenerListSchema>
export type ListenerAnswer = v.InferOutput<typeof ListenerAnswerSchema>
