export type Percentiles = { p50: number | null; p95: number | null; p99: number | null }

/** `GET /v1/projects/:pid/stats` (the relay's answer, the parts the dashboard draws). */
export interface Stats {
  window: string
  events: {
    count: number
    sessions: number
    firesPerSession: number | null
    valid: number
    validationRate: number | null
  }
  deliveries: {
    succeeded: number
    failed: number
    pending: number
    successRate: number | null
    latencyMs: Percentiles
    queueDepth: number
  }
  webhooks: Array<{
    id: string
    name: string
    status: string
    succeeded: number
    failed: number
    successRate: number | null
  }>
  /** Inbound webhook received → its frame written to the open streams (the relay's recent frames). */
  inbound: {
    framesWritten: number
    latencyMs: Percentiles
    listeners: Array<{ id: string; name: string; framesWritten: number; latencyMs: Percentiles }>
  }
}
