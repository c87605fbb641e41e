import type { Json, JsonObject } from '@hookline/protocol'
import { parseJsonPath } from '@hookline/protocol'

const SAMPLE_VALUES: Record<string, Json> = { orderStatus: 'shipped', status: 'shipped', plan: 'pro' }

/**
 * A body that this listener's mapping can read: each `$.path` gets a sample value (or `session`
 * for the target path), so "send a sample" shows a real variable change in the prototype.
 */
export function sampleBody(set: Record<string, string>, sessionPath: string | undefined, session: string): JsonObject {
  const body: JsonObject = {}
  if (sessionPath) place(body, sessionPath, session)
  for (const [name, path] of Object.entries(set)) place(body, path, SAMPLE_VALUES[name] ?? `sample ${name}`)
  return body
}

function place(body: JsonObject, path: string, value: Json): void {
  const segments = parseJsonPath(path)
  if (!segments || segments.length === 0) return
  let node: Record<string | number, Json> = body
  segments.forEach((segment, index) => {
    if (index === segments.length - 1) return void (node[segment] = value)
    const next = node[segment]
    if (next === null || typeof next !== 'object') node[segment] = typeof segments[index + 1] === 'number' ? [] : {}
    node = node[segment] as Record<string | number, Json>
  })
}
