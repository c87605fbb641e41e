import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
// Inbound → stream is a local hop: milliseconds, not the seconds an endpoint may take.
const INBOUND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/**
 * The relay's Prometheus metrics, every one (gauges read at scrape time are added by `gauge`), in a
 * registry of its own so that several relays in one process (tests) never collide. Labels are
 * project and webhook ids, never anything secret.
 */
export class RelayMetrics {
  readonly registry = new Registry()
  readonly eventsAccepted = new Counter({
    name: 'hookline_events_accepted_total',
    help: 'Events durably accepted by ingest.',
    labelNames: ['project', 'environment'],
    registers: [this.registry],
  })
  readonly eventsDuplicate = new Counter({
    name: 'hookline_events_duplicate_total',
    help: 'Events sent again with an id already stored.',
    labelNames: ['project'],
    registers: [this.registry],
  })
  readonly eventsRejected = new Counter({
    name: 'hookline_events_rejected_total',
    help: 'Events rejected by validation.',
    labelNames: ['project'],
    registers: [this.registry],
  })
  readonly eventsInvalid = new Counter({
    name: 'hookline_events_schema_invalid_total',
    help: 'Accepted events whose props failed the project schema.',
    labelNames: ['project'],
    registers: [this.registry],
  })
  readonly attempts = new Counter({
    name: 'hookline_delivery_attempts_total',
    help: 'Delivery attempts by outcome.',
    labelNames: ['project', 'webhook', 'outcome'],
    registers: [this.registry],
  })
  readonly attemptSeconds = new Histogram({
    name: 'hookline_delivery_attempt_seconds',
    help: 'Time from request start to response, per attempt.',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  })
  readonly eventToDeliverySeconds = new Histogram({
    name: 'hookline_event_to_delivery_seconds',
    help: "Event time (the browser's, when plausible) → endpoint answered 2xx.",
    labelNames: ['project'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  })
  readonly inFlight = new Gauge({
    name: 'hookline_deliveries_in_flight',
    help: 'Attempts waiting for an endpoint now.',
    registers: [this.registry],
  })
  readonly webhooksPaused = new Counter({
    name: 'hookline_webhooks_paused_total',
    help: 'Times a webhook was paused after consecutive failures.',
    registers: [this.registry],
  })
  readonly inbound = new Counter({
    name: 'hookline_inbound_webhooks_total',
    help: 'Inbound webhooks by outcome: accepted, duplicate, or the refusal code.',
    labelNames: ['project', 'outcome'],
    registers: [this.registry],
  })
  readonly inboundToFrameSeconds = new Histogram({
    name: 'hookline_inbound_to_frame_seconds',
    help: 'Inbound webhook received → its vars frame committed and handed to the open streams.',
    labelNames: ['project'],
    buckets: INBOUND_BUCKETS,
    registers: [this.registry],
  })

  constructor() {
    // Process figures too (event-loop lag above all: a blocked loop delays every delivery).
    collectDefaultMetrics({ register: this.registry, prefix: 'hookline_' })
    this.#dropTotalGauges()
  }

  /**
   * prom-client also names three of its default gauges `…_total`, a suffix Prometheus keeps for
   * counters (`promtool check metrics` refuses them). The same figures stay, per type, in
   * `hookline_nodejs_active_{handles,requests,resources}`; the sums go.
   */
  #dropTotalGauges(): void {
    for (const kind of ['handles', 'requests', 'resources'])
      this.registry.removeSingleMetric(`hookline_nodejs_active_${kind}_total`)
  }

  /** A gauge read when scraped (queue depth from the store, for instance). */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read())
      },
    })
  }
}
