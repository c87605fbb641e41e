import * as v from 'valibot'
import { EVENT_NAME, LIMITS, VARIABLE_NAME } from './limits.ts'
import type { HooklineEvent, Json, JsonObject, ProjectConfig, SessionClaim } from './types.ts'

/** One thing wrong with an input: where (`events[2].name`) and a sentence saying how to fix it. */
export interface Problem {
  path: string
  message: string
}

/** What every validator returns. It never throws, whatever the input. */
export type Validation<T> = { ok: true; value: T } | { ok: false; problems: Problem[] }

const MAX_DEPTH = 32

/** True for a value that JSON can carry unchanged: no functions, dates, NaN or cycles. */
export function isJson(value: unknown, depth = 0): value is Json {
  if (depth > MAX_DEPTH) return false
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1))
  if (!isPlainObject(value)) return false
  for (const key in value) if (!isJson(value[key], depth + 1)) return false
  return true
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const isoDate = (field: string) =>
  v.pipe(
    v.string(`"${field}" must be an ISO 8601 date string such as "2026-11-23T12:00:00.000Z".`),
    v.check(
      (s) => s.length <= 40 && !Number.isNaN(Date.parse(s)),
      (issue) => `"${field}" must be an ISO 8601 date such as "2026-11-23T12:00:00.000Z" (got ${show(issue.input)}).`,
    ),
  )

const prefixedId = (field: string, prefix: string) =>
  v.pipe(
    v.string(`"${field}" must be a string starting with "${prefix}_".`),
    v.regex(
      new RegExp(`^${prefix}_[0-9A-Za-z_-]{8,64}$`),
      (issue) =>
        `"${field}" must be "${prefix}_" followed by 8–64 letters, digits, "_" or "-" (got ${show(issue.input)}).`,
    ),
  )

const jsonObject = (field: string) =>
  v.custom<JsonObject>(
    (input) => isPlainObject(input) && isJson(input),
    `"${field}" must be a JSON object (no functions, dates, NaN or nesting deeper than ${MAX_DEPTH}).`,
  )

const identity = (field: string) =>
  v.object(
    {
      id: v.pipe(
        v.string(`"${field}.id" must be a string.`),
        v.minLength(1, `"${field}.id" must not be empty.`),
        v.maxLength(256, `"${field}.id" must be at most 256 characters.`),
      ),
      props: v.optional(
        v.pipe(
          jsonObject(`${field}.props`),
          v.check(
            (props) => Object.keys(props).length <= LIMITS.identityProps,
            `"${field}.props" may hold at most ${LIMITS.identityProps} properties; keep the ones your endpoints need.`,
          ),
        ),
      ),
    },
    `"${field}" must be an object like {"id":"u_1","props":{…}}.`,
  )

export const EventSchema = v.object(
  {
    id: prefixedId('id', 'evt'),
    name: v.pipe(
      v.string('"name" must be a string.'),
      v.regex(
        EVENT_NAME,
        (issue) =>
          `"name" must be 1–100 lowercase letters, digits or ". _ : -", starting with a letter or digit, like "checkout-completed" (got ${show(issue.input)}).`,
      ),
    ),
    ts: isoDate('ts'),
    sessionId: prefixedId('sessionId', 'ses'),
    screen: v.optional(
      v.pipe(v.string('"screen" must be a string.'), v.maxLength(200, '"screen" must be at most 200 characters.')),
    ),
    props: v.optional(jsonObject('props')),
    vars: v.optional(jsonObject('vars')),
    user: v.optional(identity('user')),
    company: v.optional(identity('company')),
  },
  'An event must be a JSON object like {"id":"evt_…","name":"checkout-completed","ts":"…","sessionId":"ses_…"}.',
)

/**
 * Session ids as claims and the stream take them: `ses_` and up to 120 URL-safe characters. The SDK
 * makes `ses_` + a ULID; the looser rule lets a team's own ids through (an event's `sessionId` is
 * stricter: 8–64 characters).
 */
export const SESSION_ID = /^ses_[A-Za-z0-9_-]{1,120}$/
/** Session tokens as `POST /v1/sessions` makes them: `hlst_` and 43 base64url characters (256 bits). */
export const SESSION_TOKEN = /^hlst_[A-Za-z0-9_-]{43}$/
/** Most sessions one batch may carry tokens for (a batch of 500 events from as many tabs, and some). */
const MAX_SESSION_TOKENS = 512

const sessionTokens = v.pipe(
  v.record(
    v.pipe(v.string(), v.regex(SESSION_ID, 'Each key of "sessionTokens" must be a session id ("ses_…").')),
    v.pipe(
      v.string('Each value of "sessionTokens" must be a string.'),
      v.maxLength(128, 'A session token is at most 128 characters.'),
    ),
    '"sessionTokens" must be an object like {"ses_…":"hlst_…"}.',
  ),
  v.check(
    (tokens) => Object.keys(tokens).length <= MAX_SESSION_TOKENS,
    `"sessionTokens" may hold at most ${MAX_SESSION_TOKENS} sessions.`,
  ),
)

const SESSION_CLAIM_SHAPE =
  'The body must be a JSON object like {"id":"ses_…"}, or {} to have the relay name the session.'

export const SessionClaimSchema = v.object(
  {
    id: v.optional(
      v.pipe(
        v.string('"id" must be a string starting with "ses_".'),
        v.regex(
          SESSION_ID,
          (issue) => `"id" must be "ses_" followed by 1–120 letters, digits, "_" or "-" (got ${show(issue.input)}).`,
        ),
      ),
    ),
  },
  SESSION_CLAIM_SHAPE,
)

export const BatchSchema = v.object(
  {
    sentAt: isoDate('sentAt'),
    sessionTokens: v.optional(sessionTokens),
    events: v.pipe(
      v.array(v.unknown(), '"events" must be an array of events.'),
      v.minLength(1, '"events" must hold at least one event.'),
      v.maxLength(LIMITS.batchEvents, `"events" may hold at most ${LIMITS.batchEvents} events; split the batch.`),
    ),
  },
  'The body must be a JSON object like {"sentAt":"…","events":[…]}.',
)

const triggerSchema = v.union(
  [
    v.strictObject({ tap: v.pipe(v.string(), v.minLength(1)) }),
    v.strictObject({ screen: v.pipe(v.string(), v.minLength(1)) }),
    v.strictObject({ change: v.pipe(v.string(), v.regex(VARIABLE_NAME)), to: v.optional(v.unknown()) }),
  ],
  '"trigger" must be one of {"tap":"<css selector>"}, {"screen":"<screen name>"} or {"change":"<variable>","to"?:value}.',
)

export const ProjectConfigSchema = v.object(
  {
    events: v.array(
      v.object({
        name: v.pipe(
          v.string('An event definition needs a "name".'),
          v.regex(EVENT_NAME, (issue) => `Event names must look like "checkout-completed" (got ${show(issue.input)}).`),
        ),
        trigger: v.optional(triggerSchema),
        schema: v.optional(jsonObject('schema')),
        optimistic: v.optional(jsonObject('optimistic')),
      }),
      '"events" must be an array of event definitions.',
    ),
    variables: v.pipe(
      jsonObject('variables'),
      v.check(
        (vars) => Object.keys(vars).every((name) => VARIABLE_NAME.test(name)),
        'Variable names must start with a letter or "_" and hold only letters, digits and "_" (at most 64).',
      ),
    ),
  },
  'The config must be a JSON object like {"events":[…],"variables":{…}}.',
)

/** Checks one event. */
export function validateEvent(input: unknown): Validation<HooklineEvent> {
  return run(EventSchema, input)
}

/** Checks the envelope of an ingest request; each event is then checked alone by `validateEvent`. */
export function validateBatch(
  input: unknown,
): Validation<{ sentAt: string; events: unknown[]; sessionTokens?: Record<string, string> }> {
  return run(BatchSchema, input)
}

/** Checks the body of `POST /v1/sessions`. */
export function validateSessionClaim(input: unknown): Validation<SessionClaim> {
  // valibot's object() takes arrays too.
  if (!isPlainObject(input)) return { ok: false, problems: [{ path: '', message: SESSION_CLAIM_SHAPE }] }
  return run(SessionClaimSchema, input)
}

/** Checks a project config (event definitions and variable defaults). */
export function validateProjectConfig(input: unknown): Validation<ProjectConfig> {
  return run(ProjectConfigSchema, input) as Validation<ProjectConfig>
}

/** Runs any valibot schema the way every Hookline validator does: no throw, every problem, a path each. */
export function run<S extends v.GenericSchema>(schema: S, input: unknown): Validation<v.InferOutput<S>> {
  try {
    const result = v.safeParse(schema, input)
    if (result.success) return { ok: true, value: result.output }
    return { ok: false, problems: result.issues.map(toProblem) }
  } catch (error) {
    // A hostile input (a throwing getter, a revoked proxy) must still get an answer, not an exception.
    return { ok: false, problems: [{ path: '', message: `The input could not be read: ${String(error)}.` }] }
  }
}

function toProblem(issue: v.BaseIssue<unknown>): Problem {
  let path = ''
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key
    path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key)
  }
  return { path, message: issue.message }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '…' : value)
  if (value === null || typeof value !== 'object') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
