import type { Warn } from '../log.ts'
import type { Json, JsonObject } from '@hookline/protocol'
import { isJsonObject } from '../json.ts'

/** `data-hl-props` of an element as an object; a warning (once) and no props when it is not JSON. */
export function elementProps(element: Element, warn: Warn): JsonObject | undefined {
  const raw = element.getAttribute('data-hl-props')
  if (!raw) return undefined
  try {
    const props = JSON.parse(raw) as unknown
    if (isJsonObject(props)) return props
  } catch {
    /* below */
  }
  warn('HL14', raw.slice(0, 60))
  return undefined
}

/** `data-hl-set="plan=pro; count=2"` → `{ plan: "pro", count: 2 }` (values are JSON when they parse, else text). */
export function parseSet(raw: string): JsonObject {
  const out: JsonObject = {}
  for (const part of raw.split(';')) {
    const at = part.indexOf('=')
    if (at < 1) continue
    const name = part.slice(0, at).trim()
    const text = part.slice(at + 1).trim()
    let value: Json = text
    try {
      value = JSON.parse(text) as Json
    } catch {
      /* text */
    }
    out[name] = value
  }
  return out
}

/** How a bound variable is shown: text as is, nothing for null/undefined, JSON for objects. */
export function formatValue(value: Json | undefined): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
