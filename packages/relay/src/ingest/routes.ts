import { Hono } from 'hono'
import { LIMITS, validateBatch } from '@hookline/protocol'
import type { KeyScope } from '../domain/keys.ts'
import { readJson } from '../http/body.ts'
import type { RelayContext } from '../context.ts'
import type { RelayEnv } from '../http/env.ts'
import { HttpError, invalidInput } from '../http/errors.ts'
import { browserAccess } from '../http/middleware/browser-access/index.ts'
import { limitEvents, rateLimit } from '../http/middleware/rate-limit/index.ts'
import { ingest } from './ingest.ts'

/**
 * The browser's side of ingest (publishable key): `POST /v1/events`, the batches, and
 * `GET /v1/config`, the definitions of the events a page records.
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
    if (Array.isArray(events)) limitEvents(c, ctx.eventLimiter, events.length)
    const batch = validateBatch(value)
    if (!batch.ok) throw invalidInput('The batch is not valid', batch.problems)
    const result = await ingest(ctx, scope, batch.value.events)
    if (text)
      ackBySession(ctx, scope, batch.value.events, [...result.accepted, ...result.duplicates], result.deliveries)
    return c.json(result, 202)
  })

  app.use('/v1/config', browserAccess(ctx.keys))
  app.get('/v1/config', async (c) => {
    const compiled = await ctx.configs.get(c.get('key').projectId)
    if (!compiled) throw new HttpError(404, 'project_not_found', 'The project of this key no longer exists.')
    // The browser route answers the config itself (docs/api.md); admin routes wrap it as `{ config }`.
    return c.json(compiled.config)
  })

  return app
}

// sendBeacon cannot read the answer, so the stream tells the page which events are safe.
function ackBySession(
  ctx: RelayContext,
  scope: KeyScope,
  events: unknown[],
  ids: string[],
  deliveries: Record<string, number> = {},
): void {
  const wanted = new Set(ids)
  const bySession = new Map<string, string[]>()
  for (const event of events as ({ id?: unknown; sessionId?: unknown } | null)[]) {
    if (typeof event?.id !== 'string' || typeof event.sessionId !== 'string' || !wanted.has(event.id)) continue
    wanted.delete(event.id)
    bySession.set(event.sessionId, [...(bySession.get(event.sessionId) ?? []), event.id])
  }
  for (const [sessionId, sessionIds] of bySession) {
    try {
      const fanOut: Record<string, number> = {}
      for (const id of sessionIds) fanOut[id] = deliveries[id] ?? 0
      ctx.frames.ack(scope.projectId, sessionId, sessionIds, fanOut)
    } catch (error) {
      ctx.log.warn('ack frame failed', { error: error as Error })
    }
  }
}
