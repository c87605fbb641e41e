import type { HooklineEvent } from '@hookline/protocol'

/** One line of `GET /v1/projects/:pid/events`: the event as received, and its deliveries so far. */
export interface LoggedEvent {
  id: string
  name: string
  environment: 'test' | 'live'
  sessionId: string
  ts: string
  receivedAt: string
  /** False when the props failed the event's schema (still delivered, but counted). */
  valid: boolean
  event: HooklineEvent
  deliveries: { total: number; succeeded: number; failed: number; pending: number }
}
