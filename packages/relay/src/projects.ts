import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import { newId, run } from '@hookline/protocol'
import { createKey } from './auth.ts'
import type { RelayContext, RelayEnv } from './context.ts'
import { HttpError, invalidInput, readJson } from './errors.ts'
import {
  deleteProject,
  findProject,
  insertProject,
  listProjects,
  updateProject,
  type Project,
} from './storage/projects.ts'
import { Hub } from './hub.ts'

const ADMIN_BODY_BYTES = 256 * 1024

const origin = v.pipe(
  v.string('Each allowed origin must be a string.'),
  v.check(
    (text) => {
      try {
        const url = new URL(text)
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text
      } catch {
        return false
      }
    },
    (issue) =>
      `"${String(issue.input).slice(0, 80)}" is not an origin; write it like "https://app.example.com" (scheme, host, optional port, no path or trailing slash).`,
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

/** Reads and validates a JSON admin body against a valibot schema; 400 naming the first problem. */
export async function adminBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
  what: string,
): Promise<v.InferOutput<S>> {
  const { value } = await readJson(c, ADMIN_BODY_BYTES)
  const checked = run(schema, value)
  if (!checked.ok) throw invalidInput(`The ${what} is not valid`, checked.problems)
  return checked.value
}

/** Loads the project of `:pid` or answers 404. */
export async function requireProject(ctx: RelayContext, projectId: string): Promise<Project> {
  const project = await findProject(ctx.db, projectId)
  if (!project)
    throw new HttpError(404, 'project_not_found', `No project ${projectId}; list them with GET /v1/projects.`)
  return project
}

/** `/v1/projects` (admin). */
export function projectRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()

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

  app.get('/v1/projects/:pid', async (c) => c.json({ project: await requireProject(ctx, c.req.param('pid')) }))

  app.patch('/v1/projects/:pid', async (c) => {
    const pid = c.req.param('pid')
    await requireProject(ctx, pid)
    const body = await adminBody(c, PatchProject, 'project change')
    const project = await updateProject(ctx.db, pid, body)
    ctx.keys.invalidate()
    ctx.cluster.projectChanged(pid)
    return c.json({ project })
  })

  app.delete('/v1/projects/:pid', async (c) => {
    const pid = c.req.param('pid')
    if (!(await deleteProject(ctx.db, pid)))
      throw new HttpError(404, 'project_not_found', `No project ${pid}; list them with GET /v1/projects.`)
    ctx.keys.invalidate()
    ctx.webhooks.forget(pid)
    ctx.configs.forget(pid)
    if (ctx.frames instanceof Hub) ctx.frames.latency.forget(pid)
    ctx.cluster.projectChanged(pid)
    ctx.log.info('project deleted', { projectId: pid })
    return c.body(null, 204)
  })

  return app
}
