import type { Json } from '@hookline/protocol'

/**
 * What a designer typed into a variable's field, as a value: JSON when it parses (`3`, `true`,
 * `{"a":1}`, `"quoted"`), otherwise the text itself, so `shipped` needs no quotes.
 */
export function parseValue(text: string): Json {
  const trimmed = text.trim()
  if (trimmed === '') return ''
  try {
    return JSON.parse(trimmed) as Json
  } catch {
    return text
  }
}

/** The text a field shows for a value: strings bare, everything else as JSON. */
export function formatValue(value: Json | undefined): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}
