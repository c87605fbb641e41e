/**
 * How deep a parsed JSON value nests, counted without recursion (a 100,000-deep body must not
 * overflow the stack on its way to being refused), and no further than `cap`.
 */
export function nestingDepth(value: unknown, cap: number): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number]
    if (typeof item !== 'object' || item === null) continue
    if (depth + 1 > deepest) deepest = depth + 1
    if (deepest > cap) return deepest
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1])
  }
  return deepest
}
