import * as siftModule from 'sift'
import { isJson, isPlainObject } from './validate.ts'
import type { Json, JsonObject } from './types.ts'

/**
 * A webhook's `filter`: a MongoDB-style query over the outgoing envelope (`type`, `data.total`,
 * `session.screen`, `vars.plan`, `user.props.email`…), evaluated by sift. `$where` is left out:
 * it runs code.
 * @example { "data.total": { "$gte": 100 }, "session.screen": "checkout" }
 */
export type WebhookFilter = JsonObject

// sift ships a UMD bundle to Node (whose ESM loader then sees only a default export) and an ES
// module to bundlers (named exports): take the exports from wherever they are.
type Sift = typeof siftModule
const sift: Sift =
  typeof (siftModule as Partial<Sift>).createQueryTester === 'function'
    ? siftModule
    : (siftModule as unknown as { default: Sift }).default
const { createQueryTester } = sift
/** The operators a filter may use, by name, each named once: sift's own, but for `$where` (it runs code). */
const NAMES = [
  '$all',
  '$and',
  '$elemMatch',
  '$eq',
  '$exists',
  '$gt',
  '$gte',
  '$in',
  '$lt',
  '$lte',
  '$mod',
  '$ne',
  '$nin',
  '$nor',
  '$not',
  '$options',
  '$or',
  '$regex',
  '$size',
  '$type',
] as const satisfies readonly (keyof Sift)[]

/** The operators a filter may use, by name. */
export const FILTER_OPERATORS: readonly string[] = Object.freeze([...NAMES])

// sift's implementations of those, for sift only: their types are classes with private members,
// which a published .d.ts cannot spell out, so only the names are public.
const operations = Object.fromEntries(NAMES.map((name) => [name, sift[name]]))

const MAX_FILTER_BYTES = 16 * 1024

/** A compiled filter: true when the envelope passes. */
export type FilterTest = (envelope: unknown) => boolean

/**
 * Checks and compiles a filter; the error names the first operator it does not know (or what
 * else sift refused: a bad regular expression, `$and` without an array…) and where it is.
 */
export function compileFilter(filter: unknown): { ok: true; test: FilterTest } | { ok: false; message: string } {
  if (!isPlainObject(filter) || !isJson(filter))
    return { ok: false, message: '"filter" must be a JSON object like {"data.total": {"$gte": 100}}.' }
  if (JSON.stringify(filter).length > MAX_FILTER_BYTES)
    return { ok: false, message: `"filter" must be at most ${MAX_FILTER_BYTES / 1024} KiB of JSON.` }
  const unknown = unknownOperator(filter, 'filter')
  if (unknown)
    return {
      ok: false,
      message: `"${unknown.path}": unknown filter operator "${unknown.operator}"; use one of ${FILTER_OPERATORS.join(', ')}.`,
    }
  try {
    const test = createQueryTester(filter, { operations })
    // sift may still throw on an odd value at evaluation; such an event does not pass.
    const safe: FilterTest = (envelope) => {
      try {
        return test(envelope)
      } catch {
        return false
      }
    }
    return { ok: true, test: safe }
  } catch (error) {
    return { ok: false, message: `"filter" is not a valid query: ${(error as Error).message}.` }
  }
}

/** The first `$key` that is not an operator, with where it is. */
function unknownOperator(node: Json, path: string): { operator: string; path: string } | null {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) {
      const found = unknownOperator(item, `${path}[${index}]`)
      if (found) return found
    }
    return null
  }
  if (node === null || typeof node !== 'object') return null
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('$') && !Object.hasOwn(operations, key)) return { operator: key, path }
    const found = unknownOperator(value, `${path}.${key}`)
    if (found) return found
  }
  return null
}
