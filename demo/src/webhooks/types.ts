import type { Environment, Json } from '@hookline/protocol'

/** A webhook as the admin API returns it (DESIGN.md "Admin"); fields beyond the contract are optional. */
export interface Webhook {
  id: string
  name: string
  url: string
  events: string[]
  environment: Environment
  template?: Json | null
  timeoutMs?: number
  status: 'active' | 'paused' | 'disabled'
  statusReason?: string | null
  response?: { set: Record<string, string> } | null
  /** A MongoDB-style query over the default envelope: events it leaves out are not sent. */
  filter?: Json | null
  /** Why a paused webhook is paused: by hand (no probing), or after failures (probed to recover). */
  pausedBy?: 'hand' | 'failures' | null
  /** When a webhook paused by failures is next probed, to resume by itself on a 2xx. */
  nextProbeAt?: string | null
}

/** One attempt of a delivery: what was sent and what came back. */
export interface Attempt {
  attempt?: number
  /** HTTP status, 0 when no response came. */
  status: number
  latencyMs: number
  responseBody?: string | null
  error?: string | null
  startedAt?: string
  request?: { headers: Record<string, string>; body: string }
}

export interface Delivery {
  id: string
  eventId: string
  kind: 'event' | 'test'
  /** `held`: pending while the webhook is paused. */
  status: 'pending' | 'held' | 'sending' | 'succeeded' | 'failed'
  attemptCount: number
  lastStatus: number | null
  lastError: string | null
  latencyMs: number | null
  createdAt: string
  /** Only on a single delivery. */
  attempts?: Attempt[]
}
