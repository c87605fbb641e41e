import { Hono } from 'hono'
import * as v from 'valibot'
import { newId } from '@hookline/protocol'
import { projectChanged } from '../domain/invalidate.ts'
import { createKey } from '../domain/keys.ts'
import type { RelayContext } from '../context.ts'
import { deleteProject, findProject, insertProject, listProjects, updateProject } from '../storage/projects.ts'
import { projectNotFound, type AdminEnv } from './lookups.ts'
import { adminBody } from './request.ts'

const origin = v.pipe(
  v.string('Each allowed origin must be a string.'),
  v.check(
    (text) => URL.canParse(text) && isOrigin(new URL(text), text),
    (issue) =>
      `"${issue.input.slice(0, 80)}" is not an origin; write it like "https://app.example.com" (scheme, host, optional port, no path or trailing slash).`,
  ),
)
const name = v.pipe(
  v.string('"name" must be a string.'),
  v.trim(),
  v.minLength(1, '"name" must not be empty.'),
  v.maxLength(200, '"name" must be at most 200 characters.'),
)
const allowedOrigins = v.pipe(
  v.array(origin, '"allowedOrigins" must be an array of origins.'),
  v.maxLength(100, '"allowedOrigins" may hold at most 100 origins.'),
)

const CreateProject = v.strictObject(
  { name, allowedOrigins: v.optional(allowedOrigins) },
  'The body must be {"name": "…", "allowedOrigins"?: ["https://…"]}.',
)
const PatchProject = v.strictObject(
  { name: v.optional(name), allowedOrigins: v.optional(allowedOrigins) },
  'The body must be {"name"?: "…", "allowedOrigins"?: [...]}.',
)

function isOrigin(url: URL, text: string): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text
}

/** `/v1/projects` (admin): projects and their publishable keys. */
export function projectRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()

  app.post('/v1/projects', async (c) => {
    const body = await adminBody(c, CreateProject, 'project')
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
    const body = await adminBody(c, PatchProject, 'project change')
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
