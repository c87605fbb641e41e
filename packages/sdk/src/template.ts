import type { Json } from '@hookline/protocol'

const WHOLE = /^\{\{\s*([\w.$-]+)\s*\}\}$/
const PART = /\{\{\s*([\w.$-]+)\s*\}\}/g

/** The value at a dotted path, own properties only. */
function read(context: unknown, path: string): unknown {
  let value = context
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

/**
 * Fills `{{placeholders}}` of an optimistic update, exactly as `renderTemplate` of
 * @hookline/protocol does (a test checks them against each other), in a third of the bytes: a
 * placeholder alone keeps the value's JSON type, inside text it becomes text; one that leads
 * nowhere becomes null (alone) or "" (in text).
 */
export function fill(template: Json, context: unknown): Json {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template)
    if (whole) return (read(context, whole[1]!) as Json | undefined) ?? null
    return template.replace(PART, (_, path: string) => {
      const value = read(context, path)
      return value == null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
    })
  }
  if (Array.isArray(template)) return template.map((item) => fill(item, context))
  if (template && typeof template === 'object') {
    const out: Record<string, Json> = {}
    for (const key in template) out[key] = fill(template[key]!, context)
    return out
  }
  return template
}
