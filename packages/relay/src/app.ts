import { Hono } from 'hono'
import { configRoutes } from './admin/config.ts'
import { deliveryRoutes } from './admin/deliveries.ts'
import { eventLogRoutes } from './admin/event-log.ts'
import { listenerRoutes } from './admin/listeners.ts'
import { listenerScope, projectScope, webhookScope } from './admin/lookups.ts'
import { projectRoutes } from './admin/projects.ts'
import { statsRoutes } from './admin/stats.ts'
import { erasureRoutes } from './admin/erasure.ts'
import { webhookActionRoutes } from './admin/webhook-actions.ts'
import { webhookRoutes } from './admin/webhooks.ts'
import { inboundRoutes } from './inbound/routes.ts'
import { ingestRoutes } from './ingest/routes.ts'
import { openApiRoutes } from './openapi/routes.ts'
import { sessionRoutes } from './session/routes.ts'
import { streamRoutes } from './stream/routes.ts'
import type { RelayContext } from './context.ts'
import type { RelayEnv } from './http/env.ts'
import { notFound, onError } from './http/errors.ts'
import { adminAuth, metricsAuth } from './http/middleware/admin-auth/index.ts'

/**
 * The relay's HTTP app, the one place that mounts routes. Admin routes (`/v1/projects/**`) require
 * the admin token and reach only what their path's ids own (`admin/lookups.ts`); browser routes
 * authenticate by publishable key in their own modules (`browserAccess`); inbound webhooks by signature.
 */
export function createApp(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  app.onError(onError(ctx.log))
  app.notFound(notFound)

  app.get('/healthz', (c) => c.json({ ok: true }))
  // The series name project and webhook ids: the operator's, unless made public on purpose.
  if (!ctx.config.metrics.public) app.use('/metrics', metricsAuth(ctx.config.metrics.tokenDigests, ctx.authFailures))
  app.get('/metrics', async (c) =>
    c.text(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType }),
  )
  // One middleware for both paths, so a request is checked (and a wrong token counted) once.
  const admin = adminAuth(ctx.config.adminTokenDigests, ctx.authFailures)
  app.use('/v1/projects', admin)
  app.use('/v1/projects/*', admin)
  // Ownership: what an admin path names is loaded (and 404s) before any route runs.
  app.use('/v1/projects/:pid/*', projectScope(ctx))
  app.use('/v1/projects/:pid/webhooks/:wid/*', webhookScope(ctx))
  app.use('/v1/projects/:pid/listeners/:lid', listenerScope(ctx))

  // ---- Route modules: each returns a Hono app with full paths; add new ones here. ----
  // The operator's (admin token):
  app.route('/', projectRoutes(ctx))
  app.route('/', configRoutes(ctx))
  app.route('/', webhookRoutes(ctx))
  app.route('/', webhookActionRoutes(ctx))
  app.route('/', deliveryRoutes(ctx))
  app.route('/', listenerRoutes(ctx))
  app.route('/', eventLogRoutes(ctx))
  app.route('/', statsRoutes(ctx))
  app.route('/', erasureRoutes(ctx))
  // The browser's (publishable key), and external systems' (signature):
  app.route('/', sessionRoutes(ctx))
  app.route('/', ingestRoutes(ctx))
  app.route('/', streamRoutes(ctx))
  app.route('/', inboundRoutes(ctx))
  // Documents all of the above; a route missing from openapi/*-operations.ts fails openapi.test.ts.
  app.route('/', openApiRoutes(ctx.publicLimiter))
  // ---- end of route modules ----

  return app
}
