import { Hono } from 'hono'
import type { RelayContext, RelayEnv } from './context.ts'
import { readLimit } from './deliveries.ts'
import { requireProject } from './projects.ts'
import { listEvents } from './storage/events.ts'

/** `GET /v1/projects/:pid/events?limit=&cursor=` (admin): newest first, each with its delivery summary. */
export function eventLogRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  app.get('/v1/projects/:pid/events', async (c) => {
    const pid = c.req.param('pid')
    await requireProject(ctx, pid)
    const limit = readLimit(c.req.query('limit'))
    const events = await listEvents(ctx.db, pid, limit, c.req.query('cursor'))
    return c.json({ events, nextCursor: events.length === limit ? events[events.length - 1]!.id : null })
  })
  return app
}
