import { Hono } from 'hono'
import type { RelayContext } from '../context.ts'
import { HttpError } from '../http/errors.ts'
import { eraseSubject, type Subject } from '../storage/erasure.ts'
import type { AdminEnv } from './lookups.ts'

/**
 * `DELETE /v1/projects/:pid/sessions/:sid` and `…/users/:uid` (admin): erases what the relay keeps
 * about one session or one user, and answers with the counts.
 */
export function erasureRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()
  const erase = async (projectId: string, subject: Subject) => {
    const erased = await eraseSubject(ctx.db, ctx.storage.dialect, projectId, subject, Date.now())
    ctx.log.info('subject erased', { projectId, ...erased })
    return { erased }
  }
  app.delete('/v1/projects/:pid/sessions/:sid', async (c) =>
    c.json(await erase(c.var.project.id, { sessionId: subjectId(c.req.param('sid'), 'session') })),
  )
  app.delete('/v1/projects/:pid/users/:uid', async (c) =>
    c.json(await erase(c.var.project.id, { userId: subjectId(c.req.param('uid'), 'user') })),
  )
  return app
}

function subjectId(id: string, what: string): string {
  if (id.length === 0 || id.length > 256)
    throw new HttpError(400, 'invalid_subject', `The ${what} id must be 1–256 characters (got ${id.length}).`)
  return id
}
