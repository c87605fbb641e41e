import { Hono } from 'hono'
import { adminAuth } from './auth.ts'
import { configRoutes } from './project-config.ts'
import type { RelayContext, RelayEnv } from './context.ts'
import { deliveryRoutes } from './deliveries.ts'
import { notFound, onError } from './errors.ts'
import { eventLogRoutes } from './event-log.ts'
import { ingestRoutes } from './ingest.ts'
import { projectRoutes } from './projects.ts'
import { inboundRoutes } from './inbound.ts'
import { listenerRoutes } from './listeners.ts'
import { streamRoutes } from './stream.ts'
import { statsRoutes } from './stats.ts'
import { webhookRoutes } from './webhooks.ts'

/**
 * The relay's HTTP app. Admin routes (`/v1/projects/**`) require the admin token; browser routes
 * authenticate by publishable key in their own modules (`browserAccess`); inbound webhooks by signature.
 */
export function createApp(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  app.onError(onError(ctx.log))
  app.notFound(notFound)

  app.get('/healthz', (c) => c.json({ ok: true }))
  app.get('/metrics', async (c) =>
    c.text(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType }),
  )
  app.use('/v1/projects', adminAuth(ctx.config.adminToken))
  app.use('/v1/projects/*', adminAuth(ctx.config.adminToken))

  // ---- Route modules: each returns a Hono app with full paths; add new ones here. ----
  app.route('/', projectRoutes(ctx))
  app.route('/', listenerRoutes(ctx))
  app.route('/', inboundRoutes(ctx))
  app.route('/', streamRoutes(ctx))
  app.route('/', webhookRoutes(ctx))
  app.route('/', deliveryRoutes(ctx))
  app.route('/', eventLogRoutes(ctx))
  app.route('/', configRoutes(ctx))
  app.route('/', statsRoutes(ctx))
  app.route('/', ingestRoutes(ctx))
  // ---- end of route modules ----

  return app
}
