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
}

export interface Attempt {
  id?: string
  attempt?: number
  status: number
  latencyMs: number
  responseBody?: string | null
  error?: string | null
  startedAt?: number | string
  requestBody?: string | null
}

export interface Delivery {
  id: string
  eventId?: string
  eventName?: string
  type?: string
  kind?: 'event' | 'test'
  status: 'pending' | 'sending' | 'succeeded' | 'failed' | string
  /** A count in lists, every attempt on a single delivery. */
  attempts?: number | Attempt[]
  lastStatus?: number | null
  lastError?: string | null
  latencyMs?: number | null
  createdAt?: number | string
}
