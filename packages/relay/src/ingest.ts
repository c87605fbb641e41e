import { Hono } from 'hono'
import {
  LIMITS,
  matchesEvent,
  newId,
  validateBatch,
  validateEvent,
  type HooklineEvent,
  type IngestResponse,
  type RejectedEvent,
} from '@hookline/protocol'
import type { KeyScope } from './auth.ts'
import type { RelayContext, RelayEnv } from './context.ts'
import { browserAccess } from './cors.ts'
import { HttpError, invalidInput, readJson } from './errors.ts'
import { rateLimit } from './rate-limit.ts'
import { eventKey, type StoredEvent } from './storage/events.ts'
import type { DeliveriesTable } from './storage/schema.ts'
import type { Webhook } from './storage/webhooks.ts'

/**
 * `POST /v1/events`: the browser's batches. Each event is checked alone (a bad one is rejected, not
 * the batch), stored with its deliveries in one transaction, and listed in `accepted` only after
 * that transaction is on disk. Ids already stored come back as `duplicates` and change nothing.
 */
export function ingestRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  app.use('/v1/events', browserAccess(ctx.keys))
  app.post('/v1/events', rateLimit(ctx.rateLimiter), async (c) => {
    const scope = c.get('key')
    const { value, text } = await readJson(c, LIMITS.batchBytes, { allowText: true })
    const events = (value as { events?: unknown } | null)?.events
    if (Array.isArray(events) && events.length > LIMITS.batchEvents) {
      throw new HttpError(
        413,
        'too_many_events',
        `A batch may hold at most ${LIMITS.batchEvents} events (got ${events.length}); split it.`,
        { limit: LIMITS.batchEvents },
      )
    }
    const batch = validateBatch(value)
    if (!batch.ok) throw invalidInput('The batch is not valid', batch.problems)
    const result = await ingest(ctx, scope, batch.value.events)
    if (text) ackBySession(ctx, scope, batch.value.events, [...result.accepted, ...result.duplicates])
    return c.json(result, 202)
  })
  return app
}

/** Checks, stores and fans out one batch; the answer of `POST /v1/events`. */
export async function ingest(ctx: RelayContext, scope: KeyScope, input: unknown[]): Promise<IngestResponse> {
  const { projectId, environment } = scope
  const rejected: RejectedEvent[] = []
  const seen = new Set<string>()
  const repeated: string[] = []
  const fresh: HooklineEvent[] = []
  for (const item of input) {
    const checked = checkEvent(item)
    if ('error' in checked) rejected.push(checked)
    else if (seen.has(checked.id)) repeated.push(checked.id)
    else {
      seen.add(checked.id)
      fresh.push(checked)
    }
  }

  const now = Date.now()
  const subscribers = await ctx.webhooks.subscribers(projectId, environment)
  const stored: StoredEvent[] = []
  let invalid = 0
  for (const event of fresh) {
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
      deliveries: subscribers
        .filter((webhook) => matchesEvent(webhook.events, event.name))
        .map((webhook) => deliveryRow(webhook, event, now)),
    })
  }
  const inserted = await ctx.eventWriter.write(stored)
  const isNew = (event: { id: string }) => inserted.has(eventKey(projectId, event.id))
  if (inserted.size > 0) ctx.cluster.deliveriesDue()
  if (inserted.size > 0)
    ctx.dispatcher.notify(
      new Set(stored.flatMap((event) => (isNew(event.row) ? event.deliveries.map((d) => d.webhook_id) : []))),
    )

  const accepted = fresh.filter(isNew).map((event) => event.id)
  const duplicates = [...fresh.filter((event) => !isNew(event)).map((event) => event.id), ...repeated]
  const { metrics } = ctx
  if (accepted.length) metrics.eventsAccepted.inc({ project: projectId, environment }, accepted.length)
  if (duplicates.length) metrics.eventsDuplicate.inc({ project: projectId }, duplicates.length)
  if (rejected.length) metrics.eventsRejected.inc({ project: projectId }, rejected.length)
  if (invalid) metrics.eventsInvalid.inc({ project: projectId }, invalid)
  return { accepted, duplicates, rejected }
}

function checkEvent(item: unknown): HooklineEvent | RejectedEvent {
  const id =
    typeof (item as { id?: unknown } | null)?.id === 'string' ? (item as { id: string }).id.slice(0, 100) : null
  let size: number
  try {
    size = Buffer.byteLength(JSON.stringify(item) ?? '')
  } catch {
    size = Infinity
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

function deliveryRow(webhook: Webhook, event: HooklineEvent, now: number): DeliveriesTable {
  return {
    id: newId('dlv'),
    project_id: webhook.projectId,
    webhook_id: webhook.id,
    event_id: event.id,
    msg_id: newId('msg'),
    kind: 'event',
    session_id: event.sessionId,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    lease_until: null,
    created_at: now,
    updated_at: now,
    event_received_at: eventTime(event, now),
    finished_at: null,
    last_status: null,
    last_error: null,
    latency_ms: null,
    body: null,
  }
}

// When the event happened, for the event → endpoint latency of DESIGN.md's monitoring: the
// browser's own time, unless its clock is clearly off (ahead of ours, or more than an hour behind).
const MAX_EVENT_AGE_MS = 60 * 60 * 1000
function eventTime(event: HooklineEvent, receivedAt: number): number {
  const time = Date.parse(event.ts)
  return Number.isFinite(time) && time <= receivedAt && time >= receivedAt - MAX_EVENT_AGE_MS ? time : receivedAt
}

// sendBeacon cannot read the answer, so the stream tells the page which events are safe.
function ackBySession(ctx: RelayContext, scope: KeyScope, events: unknown[], ids: string[]): void {
  const wanted = new Set(ids)
  const bySession = new Map<string, string[]>()
  for (const event of events as { id?: unknown; sessionId?: unknown }[]) {
    if (typeof event?.id !== 'string' || typeof event.sessionId !== 'string' || !wanted.has(event.id)) continue
    wanted.delete(event.id)
    bySession.set(event.sessionId, [...(bySession.get(event.sessionId) ?? []), event.id])
  }
  for (const [sessionId, sessionIds] of bySession) {
    try {
      ctx.frames.ack(scope.projectId, sessionId, sessionIds)
    } catch (error) {
      ctx.log.warn('ack frame failed', { error: error as Error })
    }
  }
}
