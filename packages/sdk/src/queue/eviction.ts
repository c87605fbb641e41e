import type { Entry } from './entry.ts'

/**
 * The entries to evict to bring `bytes` within `budgetBytes`: the oldest written ones first. An
 * entry not written yet (the newest, from this task) is never evicted.
 */
export function entriesToEvict(entries: Iterable<Entry>, bytes: number, budgetBytes: number): Entry[] {
  const evicted: Entry[] = []
  for (const entry of entries) {
    if (bytes <= budgetBytes) break
    if (!entry.chunk) continue
    bytes -= entry.bytes
    evicted.push(entry)
  }
  return evicted
}
