import {
  isReservedName,
  LIMITS,
  RESERVED_PREFIX,
  validateEvent,
  type HooklineEvent,
  type IngestResponse,
  type RejectedEvent,
} from '@hookline/protocol'
import { deliveriesFor } from '../domain/fan-out.ts'
import type { KeyScope } from '../domain/keys.ts'
import { nestingDepth } from './depth.ts'
import type { RelayContext } from '../context.ts'
import { eventKey } from '../storage/events.ts'
import type { StoredEvent } from '../storage/stored-event.ts'

/**
 * Checks, stores and fans out one batch; the answer of `POST /v1/events`. `tokens` are the batch's
 * `sessionTokens`: an event whose session has no valid token there is rejected alone.
 */
export async function ingest(
  ctx: RelayContext,
  scope: KeyScope,
  input: unknown[],
  tokens: Record<string, string>,
): Promise<IngestResponse> {
  const sorted = sortBatch(input)
  const { fresh, repeated, rejected } = await withTokens(ctx, scope, sorted, tokens)
  const { stored, invalid } = await withDeliveries(ctx, scope, fresh, Date.now())
  const inserted = await ctx.eventWriter.write(stored)
  // `stored` holds `fresh` in order, one row each: each key is built and looked up once.
  const accepted: string[] = []
  const duplicates: string[] = []
  const notified = new Set<string>()
  for (const { row, deliveries } of stored) {
    if (!inserted.has(eventKey(scope.projectId, scope.environment, row.id))) duplicates.push(row.id)
    else {
      accepted.push(row.id)
      for (const delivery of deliveries) notified.add(delivery.webhook_id)
    }
  }
  duplicates.push(...repeated)
  if (inserted.size > 0) {
    ctx.cluster.deliveriesDue()
    ctx.dispatcher.notify(notified)
  }
  const { metrics } = ctx
  const project = scope.projectId
  if (accepted.length) metrics.eventsAccepted.inc({ project, environment: scope.environment }, accepted.length)
  if (duplicates.length) metrics.eventsDuplicate.inc({ project }, duplicates.length)
  if (rejected.length) metrics.eventsRejected.inc({ project }, rejected.length)
  if (invalid) metrics.eventsInvalid.inc({ project }, invalid)
  // Each event's fan-out, so the browser knows when every delivery has failed (docs/api.md).
  const deliveries: Record<string, number> = {}
  for (const event of stored) deliveries[event.row.id] = event.deliveries.length
  return { accepted, duplicates, rejected, deliveries }
}

/** Each event checked alone; an id sent twice in one batch is new only the first time. */
function sortBatch(input: unknown[]): {
  fresh: HooklineEvent[]
  repeated: HooklineEvent[]
  rejected: RejectedEvent[]
} {
  const rejected: RejectedEvent[] = []
  const seen = new Set<string>()
  const repeated: HooklineEvent[] = []
  const fresh: HooklineEvent[] = []
  for (const item of input) {
    const checked = checkEvent(item)
    if ('error' in checked) rejected.push(checked)
    else if (seen.has(checked.id)) repeated.push(checked)
    else {
      seen.add(checked.id)
      fresh.push(checked)
    }
  }
  return { fresh, repeated, rejected }
}

/** Moves the events (and repeats) whose session the batch has no valid token for to `rejected`. */
async function withTokens(
  ctx: RelayContext,
  scope: KeyScope,
  sorted: { fresh: HooklineEvent[]; repeated: HooklineEvent[]; rejected: RejectedEvent[] },
  tokens: Record<string, string>,
): Promise<{ fresh: HooklineEvent[]; repeated: string[]; rejected: RejectedEvent[] }> {
  const { fresh, repeated, rejected } = sorted
  const sessions = [...fresh, ...repeated].map((event) => event.sessionId)
  const verified = await ctx.sessions.verified(scope, sessions, tokens)
  const refuse = (event: HooklineEvent): boolean => {
    if (verified.has(event.sessionId)) return false
    rejected.push({ id: event.id, error: tokenRequired(event.sessionId) })
    return true
  }
  return {
    fresh: fresh.filter((event) => !refuse(event)),
    repeated: repeated.filter((event) => !refuse(event)).map((event) => event.id),
    rejected,
  }
}

function tokenRequired(sessionId: string): RejectedEvent['error'] {
  return {
    code: 'session_token_required',
    message: `No valid token for session ${sessionId} in "sessionTokens": claim the session with POST /v1/sessions and send its token with the batch.`,
    details: { sessionId },
  }
}

/** The rows to store: each event, marked valid or not by its props schema, with a delivery per subscribed webhook. */
async function withDeliveries(
  ctx: RelayContext,
  { projectId, environment }: KeyScope,
  events: HooklineEvent[],
  now: number,
): Promise<{ stored: StoredEvent[]; invalid: number }> {
  const subscribers = await ctx.webhooks.subscribers(projectId, environment)
  const stored: StoredEvent[] = []
  let invalid = 0
  for (const event of events) {
    const valid = await ctx.configs.propsValid(projectId, event.name, event.props)
    if (!valid) invalid++
    stored.push({
      row: {
        project_id: projectId,
        id: event.id,
        name: event.name,
        environment,
        session_id: event.sessionId,
        ts: event.ts,
        received_at: now,
        valid: valid ? 1 : 0,
        body: JSON.stringify(event),
      },
      deliveries: deliveriesFor(subscribers, event, now),
    })
  }
  return { stored, invalid }
}

/** Deepest nesting an event may have: the props' 32 levels (protocol's limit) under the event's own. */
const MAX_EVENT_DEPTH = 34

function checkEvent(item: unknown): HooklineEvent | RejectedEvent {
  const id =
    typeof (item as { id?: unknown } | null)?.id === 'string' ? (item as { id: string }).id.slice(0, 100) : null
  // The event itself is one level, its props a second: 32 levels of props and a little more.
  if (nestingDepth(item, MAX_EVENT_DEPTH) > MAX_EVENT_DEPTH) {
    return {
      id,
      error: {
        code: 'event_too_deep',
        message: `This event nests more than ${MAX_EVENT_DEPTH} levels of objects and arrays; flatten its props.`,
        details: { maxDepth: MAX_EVENT_DEPTH },
      },
    }
  }
  let size: number
  try {
    // Not a string for what JSON cannot hold (a bare undefined): that is then invalid, not large.
    const json: unknown = JSON.stringify(item)
    size = typeof json === 'string' ? Buffer.byteLength(json) : 0
  } catch {
    size = 0 // not JSON at all: validateEvent says why
  }
  if (size > LIMITS.eventBytes) {
    return {
      id,
      error: {
        code: 'event_too_large',
        message: `This event is ${Math.round(size / 1024)} KiB; one event may be at most ${LIMITS.eventBytes / 1024} KiB. Send fewer props.`,
      },
    }
  }
  const checked = validateEvent(item)
  if (checked.ok && isReservedName(checked.value.name)) {
    return {
      id,
      error: {
        code: 'reserved_event_name',
        message: `"name": names starting with "${RESERVED_PREFIX}" are the relay's own operational events; pick another name (got "${checked.value.name}").`,
      },
    }
  }
  if (checked.ok) return checked.value
  const first = checked.problems[0]
  return {
    id,
    error: {
      code: 'invalid_event',
      message: first ? `${first.path || 'event'}: ${first.message}` : 'The event is not valid.',
      details: { problems: checked.problems },
    },
  }
}
