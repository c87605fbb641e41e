import { Hono } from 'hono'
import { adminAuth } from './auth.ts'
import type { RelayContext, RelayEnv } from './context.ts'
import { notFound, onError } from './errors.ts'
import { projectRoutes } from './projects.ts'
import { inboundRoutes } from './inbound.ts'
import { listenerRoutes } from './listeners.ts'
import { streamRoutes } from './stream.ts'

/**
 * The relay's HTTP app. Admin routes (`/v1/projects/**`) require the admin token; browser routes
 * authenticate by publishable key in their own modules (`browserAccess`); inbound webhooks by signature.
 */
export function createApp(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  app.onError(onError(ctx.log))
  app.notFound(notFound)

  app.get('/healthz', (c) => c.json({ ok: true }))
  app.use('/v1/projects', adminAuth(ctx.config.adminToken))
  app.use('/v1/projects/*', adminAuth(ctx.config.adminToken))

  // ---- Route modules: each returns a Hono app with full paths; add new ones here. ----
  app.route('/', projectRoutes(ctx))
  app.route('/', listenerRoutes(ctx))
  app.route('/', inboundRoutes(ctx))
  app.route('/', streamRoutes(ctx))
  // ---- end of route modules ----

  return app
}
