import type { Context, MiddlewareHandler } from 'hono'
import type { RelayContext } from '../context.ts'
import type { NodeBindings } from '../http/env.ts'
import { HttpError } from '../http/errors.ts'
import { findDelivery, listAttempts } from '../storage/deliveries.ts'
import { findListener, type Listener } from '../storage/listeners.ts'
import { findProject, type Project } from '../storage/projects.ts'
import type { DeliveriesTable } from '../storage/schema.ts'
import type { Webhook } from '../storage/webhooks.ts'
import { attemptView, deliveryView } from './views.ts'

// Ownership, in one place. The app mounts these scopes on the admin paths (after the admin token),
// so every admin route reaches a project, webhook or listener only through the ids in its path,
// already loaded and checked to belong together, and a missing one is a 404 that names it.

/** Hono's environment of admin routes: what the scopes loaded for the request's path. */
export type AdminEnv = {
  Bindings: NodeBindings
  Variables: { project: Project; webhook: Webhook; listener: Listener }
}

type Lookups = Pick<RelayContext, 'db' | 'webhooks' | 'secrets'>

/** `/v1/projects/:pid` and everything under it: the project into `c.var.project`. */
export function projectScope(ctx: Lookups): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const projectId = param(c, 'pid')
    const project = await findProject(ctx.db, projectId)
    if (!project) throw projectNotFound(projectId)
    c.set('project', project)
    await next()
  }
}

/** `…/webhooks/:wid` and everything under it: the project's webhook (the registry's copy) into `c.var.webhook`. */
export function webhookScope(ctx: Lookups): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const [pid, wid] = [param(c, 'pid'), param(c, 'wid')]
    const webhook = await ctx.webhooks.get(wid)
    if (!webhook || webhook.projectId !== pid) throw webhookNotFound(pid, wid)
    c.set('webhook', webhook)
    await next()
  }
}

/** `…/listeners/:lid`: the project's listener into `c.var.listener`. */
export function listenerScope(ctx: Lookups): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const [pid, lid] = [param(c, 'pid'), param(c, 'lid')]
    const listener = await findListener(ctx.db, ctx.secrets, lid, pid)
    if (!listener) throw listenerNotFound(pid, lid)
    c.set('listener', listener)
    await next()
  }
}

// The scopes are mounted on paths that hold these parameters.
function param(c: Context<AdminEnv>, name: 'pid' | 'wid' | 'lid'): string {
  return c.req.param(name) ?? ''
}

export function projectNotFound(projectId: string): HttpError {
  return new HttpError(
    404,
    'project_not_found',
    `No project ${projectId.slice(0, 64)}; list them with GET /v1/projects.`,
  )
}

export function webhookNotFound(projectId: string, webhookId: string): HttpError {
  return new HttpError(
    404,
    'webhook_not_found',
    `No webhook ${webhookId} in project ${projectId}; list them with GET /v1/projects/${projectId}/webhooks.`,
  )
}

export function listenerNotFound(projectId: string, listenerId: string): HttpError {
  return new HttpError(404, 'listener_not_found', `No listener ${listenerId.slice(0, 64)} in project ${projectId}.`)
}

/** The webhook's delivery; 404 when the webhook has none by that id. */
export async function requireDelivery(ctx: Lookups, webhook: Webhook, deliveryId: string): Promise<DeliveriesTable> {
  const row = await findDelivery(ctx.db, webhook.id, deliveryId)
  if (!row) throw new HttpError(404, 'delivery_not_found', `No delivery ${deliveryId} for webhook ${webhook.id}.`)
  return row
}

/** The webhook's delivery as the API shows it, with every attempt. */
export async function deliveryDetail(ctx: Lookups, webhook: Webhook, deliveryId: string) {
  const row = await requireDelivery(ctx, webhook, deliveryId)
  return { ...deliveryView(row, webhook), attempts: (await listAttempts(ctx.db, deliveryId)).map(attemptView) }
}
