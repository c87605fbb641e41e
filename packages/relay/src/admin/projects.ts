import { Hono } from 'hono'
import { KeyRotateSchema, newId, ProjectCreateSchema, ProjectPatchSchema } from '@hookline/protocol'
import { projectChanged } from '../domain/invalidate.ts'
import { createKey } from '../domain/keys.ts'
import type { RelayContext } from '../context.ts'
import {
  deleteProject,
  findProject,
  insertProject,
  listProjects,
  rotateKey,
  updateProject,
} from '../storage/projects.ts'
import { projectNotFound, type AdminEnv } from './lookups.ts'
import { adminBody } from './request.ts'

/** How long a replaced publishable key keeps working unless the rotation says otherwise: pages already open keep theirs. */
const KEY_GRACE_SECONDS = 24 * 3600

/** `/v1/projects` (admin): projects and their publishable keys. */
export function projectRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()

  app.post('/v1/projects', async (c) => {
    const body = await adminBody(c, ProjectCreateSchema, 'project')
    const project = { id: newId('prj'), name: body.name, allowedOrigins: body.allowedOrigins ?? [] }
    const test = createKey('test')
    const live = createKey('live')
    await insertProject(ctx.db, project, [
      { hash: test.hash, environment: 'test', hint: test.hint },
      { hash: live.hash, environment: 'live', hint: live.hint },
    ])
    ctx.log.info('project created', { projectId: project.id })
    return c.json({ project: await findProject(ctx.db, project.id), keys: { test: test.key, live: live.key } }, 201)
  })

  app.get('/v1/projects', async (c) => c.json({ projects: await listProjects(ctx.db) }))

  app.get('/v1/projects/:pid', (c) => c.json({ project: c.var.project }))

  app.patch('/v1/projects/:pid', async (c) => {
    const pid = c.var.project.id
    const body = await adminBody(c, ProjectPatchSchema, 'project change')
    const project = await updateProject(ctx.db, pid, body)
    projectChanged(ctx, pid)
    return c.json({ project })
  })

  // A key leaked or due for a change: a new one now, the old one until its grace ends (0: at once).
  app.post('/v1/projects/:pid/keys/rotate', async (c) => {
    const pid = c.var.project.id
    const body = await adminBody(c, KeyRotateSchema, 'key rotation')
    const graceSeconds = body.graceSeconds ?? KEY_GRACE_SECONDS
    const key = createKey(body.environment)
    const expiresAt = Date.now() + graceSeconds * 1000
    await rotateKey(ctx.db, pid, { hash: key.hash, environment: body.environment, hint: key.hint }, expiresAt)
    // Every node's key cache forgets, so the old key's end is read afresh.
    projectChanged(ctx, pid)
    ctx.log.info('publishable key rotated', { projectId: pid, environment: body.environment, graceSeconds })
    return c.json({
      environment: body.environment,
      key: key.key,
      previousKeyExpiresAt: new Date(expiresAt).toISOString(),
    })
  })

  app.delete('/v1/projects/:pid', async (c) => {
    const pid = c.var.project.id
    // Gone since the scope loaded it: deleted by another request.
    if (!(await deleteProject(ctx.db, pid))) throw projectNotFound(pid)
    projectChanged(ctx, pid)
    ctx.hub?.latency.forget(pid)
    ctx.log.info('project deleted', { projectId: pid })
    return c.body(null, 204)
  })

  return app
}
