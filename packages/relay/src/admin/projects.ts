import { Hono } from 'hono'
import { newId, ProjectCreateSchema, ProjectPatchSchema } from '@hookline/protocol'
import { projectChanged } from '../domain/invalidate.ts'
import { createKey } from '../domain/keys.ts'
import type { RelayContext } from '../context.ts'
import { deleteProject, findProject, insertProject, listProjects, updateProject } from '../storage/projects.ts'
import { projectNotFound, type AdminEnv } from './lookups.ts'
import { adminBody } from './request.ts'

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
