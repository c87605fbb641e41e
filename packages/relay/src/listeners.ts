import { Hono } from 'hono'
import type { RelayContext, RelayEnv } from './context.ts'
import { generateSecret, newId } from '@hookline/protocol'
import { HttpError, readJson } from './errors.ts'
import { listenerCache } from './listener-cache.ts'
import { parseListenerCreate, parseListenerPatch } from './listener-input.ts'
import {
  deleteListener,
  findListener,
  insertListener,
  listListeners,
  updateListener,
  type Listener,
} from './storage/listeners.ts'
import { findProject } from './storage/projects.ts'

const BODY_LIMIT = 64 * 1024

/** A listener as the admin API shows it: never with its secret (that is shown once, on creation). */
export function listenerView(listener: Listener) {
  return {
    id: listener.id,
    projectId: listener.projectId,
    name: listener.name,
    url: `/v1/inbound/${listener.id}`,
    set: listener.set,
    target: listener.target,
    verify: listener.verify,
    createdAt: new Date(listener.createdAt).toISOString(),
    updatedAt: new Date(listener.updatedAt).toISOString(),
  }
}

/**
 * `/v1/projects/:pid/listeners`: inbound webhook listeners (admin token; mounted behind the admin
 * auth). A listener maps JSON paths of an inbound body to variables and targets one session or
 * the whole project.
 */
export function listenerRoutes({ db }: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  const base = '/v1/projects/:pid/listeners'
  const cache = listenerCache(db)

  async function project(pid: string): Promise<string> {
    if (!(await findProject(db, pid))) throw new HttpError(404, 'project_not_found', `No project ${pid.slice(0, 64)}.`)
    return pid
  }

  async function listener(pid: string, lid: string): Promise<Listener> {
    const found = await findListener(db, lid, await project(pid))
    if (!found) throw new HttpError(404, 'listener_not_found', `No listener ${lid.slice(0, 64)} in project ${pid}.`)
    return found
  }

  app.post(base, async (c) => {
    const projectId = await project(c.req.param('pid'))
    const settings = parseListenerCreate((await readJson(c, BODY_LIMIT)).value)
    const secret = generateSecret()
    const created = await insertListener(db, { id: newId('lst'), projectId, secret, ...settings })
    return c.json({ listener: listenerView(created), secret }, 201)
  })

  app.get(base, async (c) => {
    const listeners = await listListeners(db, await project(c.req.param('pid')))
    return c.json({ listeners: listeners.map(listenerView) })
  })

  app.get(`${base}/:lid`, async (c) =>
    c.json({ listener: listenerView(await listener(c.req.param('pid'), c.req.param('lid'))) }),
  )

  app.patch(`${base}/:lid`, async (c) => {
    const { pid, lid } = c.req.param()
    await listener(pid, lid)
    const patch = parseListenerPatch((await readJson(c, BODY_LIMIT)).value)
    const updated = await updateListener(db, pid, lid, patch)
    cache.forget(lid)
    return c.json({ listener: listenerView(updated!) })
  })

  app.delete(`${base}/:lid`, async (c) => {
    const { pid, lid } = c.req.param()
    await listener(pid, lid)
    await deleteListener(db, pid, lid)
    cache.forget(lid)
    return c.body(null, 204)
  })

  return app
}
