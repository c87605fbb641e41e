import type { EventDefinition, Json, ProjectConfig } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import { jsonEqual } from '../equal.ts'
import { reasonOf } from '../errors.ts'
import type { TriggerSpec } from '../types.ts'
import { applyConfig } from './apply-config.ts'

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
  warn: (message: string) => void
  destroyed: () => boolean
}

export interface Config {
  /** Fetches the config, at most every 5 s, and applies it. */
  load(): void
  /** Applies a config; one equal to the config applied last (or none) changes nothing. */
  apply(config: ProjectConfig | null | undefined): void
}

/** Tab switching should not cost a request each time. */
const REFETCH_AFTER_MS = 5000

/**
 * The project config followed by a running page: loaded at start, and again when the page shows
 * or the stream reopens, so changes made in the dashboard arrive without a reload.
 */
export function createConfig(context: ConfigContext): Config {
  let applied: unknown
  let wired: Map<string, () => void> | undefined
  let loadedAt = 0

  const apply = (config: ProjectConfig | null | undefined): void => {
    if (context.destroyed() || !config || jsonEqual(config, applied)) return
    applied = config
    context.quietly(() => {
      wired = applyConfig(config, context.vars, context.definitions, context.on, wired)
    })
  }

  return {
    load() {
      if (Date.now() - loadedAt < REFETCH_AFTER_MS) return
      loadedAt = Date.now()
      // A config that cannot be applied is reported the same way as one that did not arrive.
      context
        .fetch()
        .then(apply)
        .catch((error: unknown) => context.warn(`Project config not loaded (${reasonOf(error)})`))
    },
    apply,
  }
}
