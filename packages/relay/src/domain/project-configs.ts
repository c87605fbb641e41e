import Ajv, { type ValidateFunction } from 'ajv'
import type { Kysely } from 'kysely'
import type { ProjectConfig } from '@hookline/protocol'
import { readConfig, writeConfig } from '../storage/projects.ts'
import type { Database } from '../storage/schema.ts'

export interface CompiledConfig {
  config: ProjectConfig
  validators: Map<string, ValidateFunction>
}

/** A props schema in a project config that ajv cannot compile; `index` is its place in `events`. */
export class ConfigSchemaError extends Error {
  override name = 'ConfigSchemaError'
  constructor(
    readonly eventName: string,
    readonly index: number,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause)
    super(`The JSON Schema of event "${eventName}" (events[${index}].schema) is not usable: ${reason}.`, options)
  }
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
      // An `$async` schema answers a promise, which is no verdict: only a plain true passes.
      const verdict: unknown = validate(props ?? {})
      return verdict === true
    } catch {
      return false
    }
  }

  /** Compiles every schema; throws a `ConfigSchemaError` naming the event whose schema ajv cannot use. */
  compile(config: ProjectConfig): CompiledConfig {
    const validators = new Map<string, ValidateFunction>()
    config.events.forEach((definition, index) => {
      if (!definition.schema) return
      try {
        validators.set(definition.name, this.#ajv.compile(definition.schema))
      } catch (error) {
        throw new ConfigSchemaError(definition.name, index, { cause: error })
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
