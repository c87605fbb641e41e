import { Hono } from 'hono'
import type { RelayContext } from '../context.ts'
import { listEvents } from '../storage/events.ts'
import type { AdminEnv } from './lookups.ts'
import { nextCursor, readLimit } from './request.ts'

/** `GET /v1/projects/:pid/events?limit=&cursor=` (admin): newest first, each with its delivery summary. */
export function eventLogRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  app.get('/v1/projects/:pid/events', async (c) => {
    const pid = c.var.project.id
    const limit = readLimit(c.req.query('limit'))
    const events = await listEvents(ctx.db, pid, limit, c.req.query('cursor'))
    return c.json({ events, nextCursor: nextCursor(events, limit) })
  })
  return app
}
