/** The four figures of DESIGN.md "Monitoring", as the dashboard draws them. */
export interface Figures {
  /** Events per session. */
  fireRate: number | null
  /** 0..1 */
  successRate: number | null
  /** Event → endpoint 2xx, ms. */
  latency: { p50: number | null; p95: number | null; p99: number | null }
  /** 0..1 */
  validationRate: number | null
  /** Counts behind the rates, when the relay gives them. */
  counts: { events?: number; sessions?: number; deliveries?: number; succeeded?: number }
}

type Loose = Record<string, unknown>

/**
 * Reads `GET /v1/projects/:pid/stats` into the four figures. Tolerant of naming (camelCase
 * objects or flat fields), so the charts keep working while the relay's shape settles.
 */
export function readFigures(raw: unknown): Figures {
  const stats = (isObject(raw) && isObject(raw.stats) ? raw.stats : raw) as Loose
  const pick = (...paths: string[]): unknown => {
    for (const path of paths) {
      let node: unknown = stats
      for (const key of path.split('.')) node = isObject(node) ? node[key] : undefined
      if (node !== undefined && node !== null) return node
    }
    return undefined
  }
  const num = (...paths: string[]): number | null => {
    const value = pick(...paths)
    return typeof value === 'number' && Number.isFinite(value) ? value : null
  }
  const rate = (...paths: string[]): number | null => {
    const value = num(...paths)
    return value === null ? null : value > 1 ? value / 100 : value
  }
  return {
    fireRate: num('fireRate.perSession', 'eventsPerSession', 'fireRatePerSession', 'fireRate.value', 'fireRate', 'events.perSession'),
    successRate: rate('deliverySuccessRate.rate', 'deliverySuccessRate.value', 'deliverySuccessRate', 'deliveries.successRate', 'successRate'),
    latency: {
      p50: num('eventToActionLatency.p50', 'latency.p50', 'latencyMs.p50', 'eventToActionLatencyMs.p50', 'latency.outbound.p50'),
      p95: num('eventToActionLatency.p95', 'latency.p95', 'latencyMs.p95', 'eventToActionLatencyMs.p95', 'latency.outbound.p95'),
      p99: num('eventToActionLatency.p99', 'latency.p99', 'latencyMs.p99', 'eventToActionLatencyMs.p99', 'latency.outbound.p99'),
    },
    validationRate: rate('validationRate.rate', 'validationRate.value', 'payloadValidationRate', 'validationRate', 'events.validRate'),
    counts: {
      events: num('events.total', 'fireRate.events', 'counts.events', 'events') ?? undefined,
      sessions: num('sessions', 'fireRate.sessions', 'counts.sessions') ?? undefined,
      deliveries: num('deliveries.total', 'deliverySuccessRate.total', 'counts.deliveries') ?? undefined,
      succeeded: num('deliveries.succeeded', 'deliverySuccessRate.succeeded', 'counts.succeeded') ?? undefined,
    },
  }
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
