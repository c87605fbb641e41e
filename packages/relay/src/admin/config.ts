import { Hono } from 'hono'
import { validateProjectConfig } from '@hookline/protocol'
import { projectChanged } from '../domain/invalidate.ts'
import { ConfigSchemaError } from '../domain/project-configs.ts'
import type { RelayContext } from '../context.ts'
import { readJson } from '../http/body.ts'
import { HttpError, invalidInput } from '../http/errors.ts'
import { projectNotFound, type AdminEnv } from './lookups.ts'

const CONFIG_BYTES = 256 * 1024

/** `PUT|GET /v1/projects/:pid/config` (admin): the designer's event definitions and variable defaults. */
export function configRoutes(ctx: RelayContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>()

  app.put('/v1/projects/:pid/config', async (c) => {
    const pid = c.var.project.id
    const { value } = await readJson(c, CONFIG_BYTES)
    const checked = validateProjectConfig(value)
    if (!checked.ok) throw invalidInput('The project config is not valid', checked.problems)
    const names = checked.value.events.map((event) => event.name)
    const repeated = names.find((name, index) => names.indexOf(name) !== index)
    if (repeated)
      throw new HttpError(
        400,
        'invalid_input',
        `Event "${repeated}" is defined twice; keep one definition per event name.`,
      )
    await ctx.configs.save(pid, checked.value).catch((error: unknown) => {
      if (!(error instanceof ConfigSchemaError)) throw error
      throw new HttpError(400, 'invalid_schema', error.message, { path: `events[${error.index}].schema` })
    })
    projectChanged(ctx, pid)
    // Open pages apply it at once, without a reload (docs/stream.md `config`).
    ctx.frames.config?.(pid, checked.value)
    return c.json({ config: checked.value })
  })

  app.get('/v1/projects/:pid/config', async (c) => {
    const pid = c.var.project.id
    const compiled = await ctx.configs.get(pid)
    if (!compiled) throw projectNotFound(pid)
    return c.json({ config: compiled.config })
  })

  return app
}
