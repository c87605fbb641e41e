/**
 * The small JSON path subset that listeners and response mappings use: `$`, `.key`, `[0]`,
 * `["key with spaces"]`. Enough to point into a webhook body; no filters or wildcards, so a
 * mapping always names exactly one value.
 */
export type PathSegment = string | number

/** Parses `$.data.items[0]["order id"]`; null when the text is not such a path. */
export function parseJsonPath(path: string): PathSegment[] | null {
  if (typeof path !== 'string' || !path.startsWith('$') || path.length > 500) return null
  const segments: PathSegment[] = []
  let i = 1
  while (i < path.length) {
    const char = path[i]
    if (char === '.') {
      const match = /^[A-Za-z_$][\w$-]*/.exec(path.slice(i + 1))
      if (!match) return null
      segments.push(match[0])
      i += 1 + match[0].length
    } else if (char === '[') {
      const rest = path.slice(i)
      const index = /^\[(\d{1,9})\]/.exec(rest)
      const quoted = /^\[(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\]/.exec(rest)
      if (index) {
        segments.push(Number(index[1]))
        i += index[0].length
      } else if (quoted) {
        segments.push((quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1'))
        i += quoted[0].length
      } else return null
    } else return null
  }
  return segments
}

/** The value at `path` in `value`, or undefined when the path is malformed or leads nowhere. */
export function readJsonPath(value: unknown, path: string | PathSegment[]): unknown {
  const segments = typeof path === 'string' ? parseJsonPath(path) : path
  if (!segments) return undefined
  let current = value
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined
    current = (current as Record<string | number, unknown>)[segment]
  }
  return current
}

/**
 * The value at a dotted path (`user.props.email`), as templates write it. It walks the path
 * itself rather than through `readJsonPath`, so browser bundles that render templates do not
 * carry the JSON path parser.
 */
export function readDotted(value: unknown, path: string): unknown {
  let current = value
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key))
      return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}
