import * as v from 'valibot'

// `GET /v1/projects/:pid/stats?window=1h|24h|7d`: the four monitoring figures (docs/monitoring.md).

const ratio = v.nullable(v.number())
const latency = v.object({ p50: v.nullable(v.number()), p95: v.nullable(v.number()), p99: v.nullable(v.number()) })

export const StatsWindowSchema = v.picklist(['1h', '24h', '7d'])

export const StatsSchema = v.object({
  window: StatsWindowSchema,
  since: v.pipe(v.string(), v.isoTimestamp()),
  events: v.object({
    count: v.number(),
    sessions: v.number(),
    firesPerSession: ratio,
    valid: v.number(),
    validationRate: ratio,
  }),
  deliveries: v.object({
    succeeded: v.number(),
    failed: v.number(),
    pending: v.number(),
    successRate: ratio,
    latencyMs: latency,
    queueDepth: v.number(),
  }),
  /** Every attempt, refused ones included (a delivery retried ten times is eleven attempts). */
  attempts: v.object({ succeeded: v.number(), failed: v.number(), successRate: ratio }),
  webhooks: v.array(
    v.object({
      id: v.string(),
      name: v.string(),
      status: v.picklist(['active', 'paused', 'disabled']),
      succeeded: v.number(),
      failed: v.number(),
      pending: v.number(),
      successRate: ratio,
      attemptSuccessRate: ratio,
      latencyMs: latency,
    }),
  ),
  inbound: v.object({
    framesWritten: v.number(),
    latencyMs: latency,
    listeners: v.array(v.object({ id: v.string(), name: v.string(), framesWritten: v.number(), latencyMs: latency })),
  }),
})

export type StatsWindow = v.InferOutput<typeof StatsWindowSchema>
export type Stats = v.InferOutput<typeof StatsSchema>
