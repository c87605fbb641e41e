import { Hono } from 'hono'
import { generateSecret, ListenerCreateSchema, ListenerPatchSchema, newId } from '@hookline/protocol'
import type { RelayContext } from '../context.ts'
import { deleteListener, insertListener, listListeners, updateListener } from '../storage/listeners.ts'
import { listenerPatch, newListenerSettings } from './listener-input.ts'
import { listenerNotFound, type AdminEnv } from './lookups.ts'
import { adminBody } from './request.ts'
import { listenerView } from './views.ts'

const BODY_LIMIT = 64 * 1024

/**
 * `/v1/projects/:pid/listeners`: inbound webhook listeners (admin token). A listener maps JSON
 * paths of an inbound body to variables and targets one session or the whole project.
 */
export function listenerRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  const base = '/v1/projects/:pid/listeners'
  const { db, secrets } = ctx

  app.post(base, async (c) => {
    const projectId = c.var.project.id
    const settings = newListenerSettings(await adminBody(c, ListenerCreateSchema, 'listener', BODY_LIMIT))
    const secret = generateSecret()
    const created = await insertListener(db, secrets, { id: newId('lst'), projectId, secret, ...settings })
    return c.json({ listener: listenerView(created), secret }, 201)
  })

  app.get(base, async (c) =>
    c.json({ listeners: (await listListeners(db, secrets, c.var.project.id)).map(listenerView) }),
  )

  app.get(`${base}/:lid`, (c) => c.json({ listener: listenerView(c.var.listener) }))

  app.patch(`${base}/:lid`, async (c) => {
    const { projectId, id } = c.var.listener
    const patch = listenerPatch(await adminBody(c, ListenerPatchSchema, 'listener change', BODY_LIMIT))
    const updated = await updateListener(db, secrets, projectId, id, patch)
    ctx.listeners.forget(id)
    // Gone since the scope loaded it: deleted by another request.
    if (!updated) throw listenerNotFound(projectId, id)
    return c.json({ listener: listenerView(updated) })
  })

  app.delete(`${base}/:lid`, async (c) => {
    const { projectId, id } = c.var.listener
    await deleteListener(db, projectId, id)
    ctx.listeners.forget(id)
    return c.body(null, 204)
  })

  return app
}
