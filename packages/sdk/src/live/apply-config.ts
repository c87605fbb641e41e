import type { EventDefinition, Json, JsonObject, ProjectConfig } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { TriggerSpec } from '../types.ts'

/**
 * Applies the project config (`GET /v1/config`), first or again after a refetch: variable defaults
 * fill variables not set yet, `definitions` become the config's events (their optimistic updates
 * and schemas for `track`), and events' triggers are wired. `wired` holds the triggers the previous
 * config added, by name and spec; the result holds this config's. A trigger in both is kept as it
 * is rather than removed and added again, so a screen trigger whose screen shows does not fire
 * again; those only in `wired` are removed by their removers, so triggers added with `hl.on()` stay.
 */
export function applyConfig(
  config: Partial<ProjectConfig>,
  vars: MapStore<Record<string, Json>>,
  definitions: Map<string, EventDefinition>,
  on: (name: string, spec: TriggerSpec) => () => void,
  wired = new Map<string, () => void>(),
): Map<string, () => void> {
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
    next.set(key, wired.get(key) ?? on(definition.name, spec))
    wired.delete(key)
  }
  for (const off of wired.values()) off()
  return next
}
