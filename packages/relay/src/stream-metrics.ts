import { Counter, Histogram, type Registry } from 'prom-client'

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/** Prometheus metrics of inbound webhooks and the stream, in the relay's own registry. */
export class StreamMetrics {
  readonly inbound: Counter<'project' | 'outcome'>
  readonly inboundToFrameSeconds: Histogram<'project'>

  constructor(registry: Registry) {
    this.inbound = new Counter({
      name: 'hookline_inbound_webhooks_total',
      help: 'Inbound webhooks by outcome: accepted, duplicate, or the refusal code.',
      labelNames: ['project', 'outcome'],
      registers: [registry],
    })
    this.inboundToFrameSeconds = new Histogram({
      name: 'hookline_inbound_to_frame_seconds',
      help: 'Inbound webhook received → its vars frame committed and handed to the open streams.',
      labelNames: ['project'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    })
  }
}

const byRegistry = new WeakMap<Registry, StreamMetrics>()

/** The metrics of one relay (one registry), made on first use. */
export function streamMetrics(registry: Registry): StreamMetrics {
  let metrics = byRegistry.get(registry)
  if (!metrics) byRegistry.set(registry, (metrics = new StreamMetrics(registry)))
  return metrics
}
