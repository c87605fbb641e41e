import { isReservedName } from './operational.ts'

/**
 * Event subscriptions: `"checkout-completed"`, `"cart.*"` (any name starting with "cart."), or
 * `"*"` (every event of the project). `*` matches any run of characters, including none. The
 * relay's own `hookline.` events match only patterns that start with `hookline.` themselves
 * (`"hookline.*"`, `"hookline.webhook.paused"`): a bare `"*"` keeps meaning the project's events.
 */
export function matchesEvent(patterns: readonly string[], name: string): boolean {
  const reserved = isReservedName(name)
  for (const pattern of patterns) {
    if (reserved !== isReservedName(pattern)) continue
    if (pattern === '*' || pattern === name) return true
    if (pattern.includes('*') && patternRegex(pattern).test(name)) return true
  }
  return false
}

/** Subscription patterns: event-name characters plus `*`. */
export const EVENT_PATTERN = /^(\*|[a-z0-9*][a-z0-9._:*-]{0,99})$/

const compiled = new Map<string, RegExp>()

function patternRegex(pattern: string): RegExp {
  let regex = compiled.get(pattern)
  if (!regex) {
    regex = new RegExp('^' + pattern.split('*').map(escape).join('.*') + '$')
    if (compiled.size > 10_000) compiled.clear()
    compiled.set(pattern, regex)
  }
  return regex
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
