/**
 * How many items one statement takes in an `IN (…)` list or a multi-row `VALUES`: SQLite caps the
 * parameters of a statement, so longer lists go in slices of this many, one statement each.
 */
export const IN_LIST_LIMIT = 400

/** `items` in order, in consecutive slices of at most `limit` (none for an empty list). */
export function* chunks<T>(items: readonly T[], limit: number = IN_LIST_LIMIT): Generator<T[]> {
  if (!(limit >= 1)) throw new RangeError(`A slice must hold at least one item, not ${limit}.`)
  for (let i = 0; i < items.length; i += limit) yield items.slice(i, i + limit)
}
