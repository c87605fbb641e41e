import type { Warn } from '../log.ts'
import type { EventDefinition, Json, JsonObject, ProjectConfig } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import { HooklineRelayError, reasonOf } from '../errors.ts'
import { jsonEqual } from '../json.ts'
import type { TriggerSpec } from '../types.ts'

export interface ConfigContext {
  /** `GET /v1/config`. */
  fetch: () => Promise<ProjectConfig>
  vars: MapStore<Record<string, Json>>
  /** Filled with the config's event definitions (read by `track`). */
  definitions: Map<string, EventDefinition>
  /** `hl.on()`, for the triggers of the config's events. */
  on: (name: string, spec: TriggerSpec) => () => void
  /** Runs a change of variables without firing change triggers. */
  quietly: (change: () => void) => void
  warn: Warn
  destroyed: () => boolean
}

/** A `GET /v1/config` answer (from `url`) read as the config; a `HooklineRelayError` when it is not one. */
export async function readConfig(answer: Promise<Response>, url: string): Promise<ProjectConfig> {
  const fail = (status: number, detail: string, cause?: unknown): HooklineRelayError =>
    new HooklineRelayError('GET', url, status, detail, { cause })
  const response = await answer.catch((error: unknown) => {
    throw fail(0, reasonOf(error), error)
  })
  if (!response.ok) throw fail(response.status, await response.text().catch(() => ''))
  return (await response.json()) as ProjectConfig
}

/** Tab switching should not cost a request each time. */
const REFETCH_AFTER_MS = 5000

/** The project config as a page follows it. */
export interface FollowedConfig {
  /** Fetches the config (at most every 5 s unless `now`) and applies it. */
  load(now?: boolean): void
  /** Applies a config the stream's `config` frame carried. */
  apply(config: ProjectConfig): void
  /** Applies a fetch started elsewhere at `at` (ms), which counts as a load then. */
  adopt(pending: Promise<ProjectConfig>, at: number): void
}

/**
 * The project config followed by a running page: loaded at start, then applied from each `config`
 * frame the relay sends when it changes, so a change made in the dashboard reaches the open page at
 * once. It is fetched again (at most every 5 s) when the stream reopens, for changes made while it
 * was down. A config equal to the one applied last changes nothing.
 *
 * Applying a config: variable defaults fill variables not set yet (firing no change triggers), the
 * definitions become the config's events (their optimistic updates for `track`), and the events'
 * triggers are wired. A trigger the previous config wired too is kept as it is rather than removed
 * and added again, so a screen trigger whose screen shows does not fire again; those only the
 * previous config had are removed by their removers, so triggers added with `hl.on()` stay.
 */
export function followConfig(context: ConfigContext): FollowedConfig {
  const { vars, definitions } = context
  let applied: unknown
  /** The triggers the applied config wired, by name and spec, with their removers. */
  let wired = new Map<string, () => void>()
  let loadedAt = 0

  const wire = (config: Partial<ProjectConfig>): void => {
    const current = vars.get()
    for (const [name, value] of Object.entries(config.variables ?? {})) if (!(name in current)) vars.setKey(name, value)
    definitions.clear()
    const next = new Map<string, () => void>()
    for (const definition of config.events ?? []) {
      if (!definition.name) continue
      definitions.set(definition.name, definition)
      if (!definition.trigger) continue
      const spec = { ...definition.trigger } as TriggerSpec & { optimistic?: JsonObject }
      if (definition.optimistic) spec.optimistic = definition.optimistic
      const key = definition.name + JSON.stringify(spec)
      next.set(key, wired.get(key) ?? context.on(definition.name, spec))
      wired.delete(key)
    }
    for (const off of wired.values()) off()
    wired = next
  }

  const apply = (config: ProjectConfig | null | undefined): void => {
    if (context.destroyed() || !config || jsonEqual(config, applied)) return
    applied = config
    context.quietly(() => wire(config))
  }

  function adopt(pending: Promise<ProjectConfig>, at: number): void {
    loadedAt = at
    // A config that cannot be applied is reported the same way as one that did not arrive.
    pending.then(apply).catch((error: unknown) => context.warn('HL26', reasonOf(error)))
  }
  return {
    load(now) {
      if (now || Date.now() - loadedAt >= REFETCH_AFTER_MS) adopt(context.fetch(), Date.now())
    },
    apply,
    adopt,
  }
}
