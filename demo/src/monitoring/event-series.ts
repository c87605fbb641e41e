import { isReservedName } from '@hookline/protocol'

/** One event of the project's event log, as far as the charts need it. */
export interface LoggedEvent {
  name: string
  sessionId: string
  receivedAt: string
  valid: boolean
  deliveries: { succeeded: number; failed: number }
}

export interface Bucket {
  /** Events per distinct session in the bucket; null when nothing fired. */
  fireRate: number | null
  /** Share of settled deliveries that succeeded; null when none settled. */
  successRate: number | null
  /** Share of events whose props matched their schema; null when nothing fired. */
  validationRate: number | null
}

/**
 * Splits the recent event log into `count` time buckets of `bucketMs` ending at `now`, and works
 * out three of the four figures per bucket, so the charts show how they moved, not just where
 * they are (latency comes from the relay's percentiles instead).
 */
export function bucketEvents(events: readonly LoggedEvent[], now: number, bucketMs: number, count: number): Bucket[] {
  const start = now - bucketMs * count
  const groups = Array.from({ length: count }, () => ({
    events: 0,
    sessions: new Set<string>(),
    valid: 0,
    succeeded: 0,
    failed: 0,
  }))
  for (const event of events) {
    const at = Date.parse(event.receivedAt)
    if (!(at >= start && at <= now)) continue
    const group = groups[Math.min(count - 1, Math.floor((at - start) / bucketMs))]
    if (!group) continue
    group.succeeded += event.deliveries.succeeded
    group.failed += event.deliveries.failed
    // The relay's notices are delivered like events, but no participant fired them.
    if (isReservedName(event.name)) continue
    group.events++
    group.sessions.add(event.sessionId)
    if (event.valid) group.valid++
  }
  return groups.map((group) => ({
    fireRate: group.events ? group.events / group.sessions.size : null,
    successRate: group.succeeded + group.failed ? group.succeeded / (group.succeeded + group.failed) : null,
    validationRate: group.events ? group.valid / group.events : null,
  }))
}
