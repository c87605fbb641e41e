import { Hono } from 'hono'
import Ajv, { type ValidateFunction } from 'ajv'
import type { Kysely } from 'kysely'
import { validateProjectConfig, type ProjectConfig } from '@hookline/protocol'
import type { RelayContext, RelayEnv } from './context.ts'
import { browserAccess } from './cors.ts'
import { HttpError, invalidInput, readJson } from './errors.ts'
import { requireProject } from './projects.ts'
import { readConfig, writeConfig } from './storage/projects.ts'
import type { Database } from './storage/schema.ts'

const CONFIG_BYTES = 256 * 1024

interface CompiledConfig {
  config: ProjectConfig
  validators: Map<string, ValidateFunction>
}

/**
 * Project configs (the designer's event definitions) with their props schemas compiled by ajv,
 * cached per project: ingest checks every event against them.
 */
export class ProjectConfigs {
  readonly #ajv = new Ajv({ strict: false, allErrors: false })
  #cache = new Map<string, Promise<CompiledConfig | null>>()

  constructor(private readonly db: Kysely<Database>) {}

  get(projectId: string): Promise<CompiledConfig | null> {
    let entry = this.#cache.get(projectId)
    if (!entry) {
      entry = readConfig(this.db, projectId).then((config) => (config ? this.compile(config) : null))
      entry.catch(() => this.#cache.delete(projectId))
      if (this.#cache.size > 10_000) this.#cache.clear()
      this.#cache.set(projectId, entry)
    }
    return entry
  }

  /** True when the event's props satisfy the schema its definition gives (or there is none). */
  async propsValid(projectId: string, name: string, props: unknown): Promise<boolean> {
    const validate = (await this.get(projectId))?.validators.get(name)
    if (!validate) return true
    try {
      return validate(props ?? {}) === true
    } catch {
      return false
    }
  }

  /** Compiles every schema; throws a 400 naming the event whose schema ajv cannot use. */
  compile(config: ProjectConfig): CompiledConfig {
    const validators = new Map<string, ValidateFunction>()
    config.events.forEach((definition, index) => {
      if (!definition.schema) return
      try {
        validators.set(definition.name, this.#ajv.compile(definition.schema))
      } catch (error) {
        throw new HttpError(
          400,
          'invalid_schema',
          `The JSON Schema of event "${definition.name}" (events[${index}].schema) is not usable: ${(error as Error).message}.`,
          { path: `events[${index}].schema` },
        )
      }
    })
    return { config, validators }
  }

  async save(projectId: string, config: ProjectConfig): Promise<void> {
    const compiled = this.compile(config)
    await writeConfig(this.db, projectId, config)
    this.#cache.set(projectId, Promise.resolve(compiled))
  }

  forget(projectId: string): void {
    this.#cache.delete(projectId)
  }
}

/** `PUT|GET /v1/projects/:pid/config` (admin) and `GET /v1/config` (publishable key). */
export function configRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()

  app.put('/v1/projects/:pid/config', async (c) => {
    const pid = c.req.param('pid')
    await requireProject(ctx, pid)
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
    await ctx.configs.save(pid, checked.value)
    ctx.cluster.projectChanged(pid)
    return c.json({ config: checked.value })
  })

  app.get('/v1/projects/:pid/config', async (c) => {
    const pid = c.req.param('pid')
    await requireProject(ctx, pid)
    return c.json({ config: (await ctx.configs.get(pid))!.config })
  })

  app.use('/v1/config', browserAccess(ctx.keys))
  app.get('/v1/config', async (c) => {
    const compiled = await ctx.configs.get(c.get('key').projectId)
    if (!compiled) throw new HttpError(404, 'project_not_found', 'The project of this key no longer exists.')
    // The browser route answers the config itself (DESIGN.md); admin routes wrap it as `{ config }`.
    return c.json(compiled.config)
  })

  return app
}
