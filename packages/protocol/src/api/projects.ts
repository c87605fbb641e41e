import * as v from 'valibot'

// The admin API's project bodies. The relay validates with these and the OpenAPI document is made
// from them, so what is accepted and what is documented cannot drift apart.

function isOrigin(text: string): boolean {
  if (!URL.canParse(text)) return false
  const url = new URL(text)
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text
}

const origin = v.pipe(
  v.string('Each allowed origin must be a string.'),
  v.check(
    isOrigin,
    (issue) =>
      `"${issue.input.slice(0, 80)}" is not an origin; write it like "https://app.example.com" (scheme, host, optional port, no path or trailing slash).`,
  ),
)
const name = v.pipe(
  v.string('"name" must be a string.'),
  v.trim(),
  v.minLength(1, '"name" must not be empty.'),
  v.maxLength(200, '"name" must be at most 200 characters.'),
)
const allowedOrigins = v.pipe(
  v.array(origin, '"allowedOrigins" must be an array of origins.'),
  v.maxLength(100, '"allowedOrigins" may hold at most 100 origins.'),
  v.description('Origins whose pages may use the publishable keys; empty: any origin, with test keys only.'),
)

/** `POST /v1/projects`. */
export const ProjectCreateSchema = v.strictObject(
  { name, allowedOrigins: v.optional(allowedOrigins) },
  'The body must be {"name": "…", "allowedOrigins"?: ["https://…"]}.',
)

/** `PATCH /v1/projects/:pid`: any subset of the fields. */
export const ProjectPatchSchema = v.strictObject(
  { name: v.optional(name), allowedOrigins: v.optional(allowedOrigins) },
  'The body must be {"name"?: "…", "allowedOrigins"?: [...]}.',
)

export type ProjectCreate = v.InferInput<typeof ProjectCreateSchema>
export type ProjectPatch = v.InferInput<typeof ProjectPatchSchema>

/** A project as the admin API answers with it. */
export const ProjectSchema = v.object({
  id: v.string(),
  name: v.string(),
  allowedOrigins: v.array(v.string()),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
})
/** `POST /v1/projects` → 201: the publishable keys are shown here only. */
export const ProjectCreatedSchema = v.object({
  project: ProjectSchema,
  keys: v.object({
    test: v.pipe(v.string(), v.startsWith('pk_test_')),
    live: v.pipe(v.string(), v.startsWith('pk_live_')),
  }),
})
export const ProjectListSchema = v.object({ projects: v.array(ProjectSchema) })
export const ProjectAnswerSchema = v.object({ project: ProjectSchema })

/** The longest a replaced publishable key keeps working: a week, for pages cached or deployed slowly. */
export const KEY_GRACE_MAX_SECONDS = 7 * 24 * 3600

/** `POST /v1/projects/:pid/keys/rotate`. */
export const KeyRotateSchema = v.strictObject(
  {
    environment: v.picklist(['test', 'live'], '"environment" must be "test" or "live".'),
    graceSeconds: v.optional(
      v.pipe(
        v.number('"graceSeconds" must be a number of seconds.'),
        v.integer('"graceSeconds" must be a whole number of seconds.'),
        v.minValue(0, '"graceSeconds" must be 0 or more.'),
        v.maxValue(KEY_GRACE_MAX_SECONDS, `"graceSeconds" may be at most ${KEY_GRACE_MAX_SECONDS} (7 days).`),
        v.description('How long the replaced key keeps working; 0 ends it now. Default 86400 (24 h).'),
      ),
    ),
  },
  'The body must be {"environment": "test" | "live", "graceSeconds"?: 0–604800}.',
)
/** → 200: the new key, shown here only; the replaced one works until `previousKeyExpiresAt`. */
export const KeyRotatedSchema = v.object({
  environment: v.picklist(['test', 'live']),
  key: v.pipe(v.string(), v.regex(/^pk_(test|live)_/)),
  previousKeyExpiresAt: v.pipe(v.string(), v.isoTimestamp()),
})

export type KeyRotate = v.InferInput<typeof KeyRotateSchema>
export type KeyRotated = v.InferOutput<typeof KeyRotatedSchema>
export type Project = v.InferOutput<typeof ProjectSchema>
export type ProjectCreated = v.InferOutput<typeof ProjectCreatedSchema>
export type ProjectList = v.InferOutput<typeof ProjectListSchema>
export type ProjectAnswer = v.InferOutput<typeof ProjectAnswerSchema>
