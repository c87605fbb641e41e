/**
 * Operational events: what the relay itself says about a project's webhooks, sent through the
 * project's own pipeline like any event. Their names start with `hookline.`, a prefix no browser
 * or ingest call may use, so nobody can forge one.
 */

/** The reserved name prefix. */
export const RESERVED_PREFIX = 'hookline.'

/** Every operational event the relay emits. */
export const OPERATIONAL_EVENTS = [
  'hookline.webhook.paused',
  'hookline.webhook.disabled',
  'hookline.webhook.resumed',
  'hookline.delivery.exhausted',
] as const

export type OperationalEventName = (typeof OPERATIONAL_EVENTS)[number]

/** True for a name in the reserved `hookline.` namespace. */
export function isReservedName(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX)
}

/** The last attempt an operational event is about (null when none led to it, as for a resume by hand). */
export type LastAttemptSummary = {
  deliveryId: string
  eventId: string
  eventName: string
  /** 1 for the first attempt of the delivery. */
  attempt: number
  /** HTTP status, or 0 when no response came. */
  status: number
  error: string | null
  at: string
}

/** The `data` (the event's `props`) of every operational event. */
export type OperationalData = {
  webhook: { id: string; name: string }
  reason: string
  lastAttempt: LastAttemptSummary | null
}
