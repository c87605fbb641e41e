import type { EventDefinition, Json, JsonObject, ProjectConfig } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { TriggerSpec } from './types.ts'

/**
 * Applies the project config (`GET /v1/config`): variable defaults fill variables not set yet,
 * events with a trigger are wired, and events' optimistic updates are remembered for `track`.
 * Returns the removers of the triggers it added.
 */
export function applyConfig(
  config: ProjectConfig,
  vars: MapStore<Record<string, Json>>,
  definitions: Map<string, EventDefinition>,
  on: (name: string, spec: TriggerSpec) => () => void,
): Array<() => void> {
  const current = vars.get()
  for (const [name, value] of Object.entries(config.variables ?? {})) if (!(name in current)) vars.setKey(name, value)
  const offs: Array<() => void> = []
  for (const definition of config.events ?? []) {
    if (!definition?.name) continue
    definitions.set(definition.name, definition)
    if (!definition.trigger) continue
    const spec = { ...definition.trigger } as TriggerSpec & { optimistic?: JsonObject }
    if (definition.optimistic) spec.optimistic = definition.optimistic
    offs.push(on(definition.name, spec))
  }
  return offs
}
