import { readDotted } from './jsonpath.ts'
import type { Json } from './types.ts'

const WHOLE = /^\{\{\s*([\w.$-]+)\s*\}\}$/
const PART = /\{\{\s*([\w.$-]+)\s*\}\}/g

/**
 * Fills `{{placeholders}}` in a JSON template from `context`. A string that is one placeholder
 * alone keeps the value's JSON type (`"{{props.total}}"` → `42`); placeholders inside longer text
 * are written as text. A placeholder that leads nowhere becomes null (alone) or "" (in text).
 * @example renderTemplate({ text: 'New order {{event.id}}', total: '{{props.total}}' }, context)
 */
export function renderTemplate(template: Json, context: unknown): Json {
  if (typeof template === 'string') {
    const wholePath = WHOLE.exec(template)?.[1]
    // The context is JSON (an event, a response body), so what a path reads is JSON too.
    if (wholePath !== undefined) return (readDotted(context, wholePath) ?? null) as Json
    return template.replace(PART, (_, path: string) => {
      const value = readDotted(context, path)
      if (value === undefined || value === null) return ''
      return typeof value === 'string' ? value : JSON.stringify(value)
    })
  }
  if (Array.isArray(template)) return template.map((item) => renderTemplate(item, context))
  if (template && typeof template === 'object') {
    const out: Record<string, Json> = {}
    for (const [key, value] of Object.entries(template)) out[key] = renderTemplate(value, context)
    return out
  }
  return template
}

/** The placeholders a template uses, for showing a designer which ones lead nowhere. */
export function templatePlaceholders(template: Json): string[] {
  const found = new Set<string>()
  const walk = (node: Json): void => {
    if (typeof node === 'string') {
      for (const [, path] of node.matchAll(PART)) if (path) found.add(path)
    } else if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object') Object.values(node).forEach(walk)
  }
  walk(template)
  return [...found]
}
