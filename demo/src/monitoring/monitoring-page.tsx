import type { Stats } from '@hookline/protocol'
import { api } from '../api.ts'
import { RecentNotices } from '../log/recent-notices.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { PageHeader } from '../ui/page-header.tsx'
import { useLoad } from '../ui/use-load.ts'
import { bucketEvents, type Bucket, type LoggedEvent } from './event-series.ts'
import { FigureCard } from './figure-card.tsx'
import { formatMs, LatencyBars } from './latency-bars.tsx'
import { TimeChart } from './time-chart.tsx'

/** The charts span the last hour in two-minute buckets. */
const BUCKET_MS = 2 * 60_000
const BUCKETS = 30

/**
 * The monitoring figures for the last hour: the relay's numbers now (`/stats`), and how three of
 * them moved, bucketed from the recent event log. Refreshed every five seconds. Each figure says
 * what it counts, and each latency what it runs from and to (docs/monitoring.md).
 */
export function MonitoringPage() {
  const stats = useLoad(
    async () => {
      const [now, log] = await Promise.all([
        api<Stats>('GET', '/stats?window=1h'),
        api<{ events: LoggedEvent[] }>('GET', '/events?limit=200'),
      ])
      const end = Date.now()
      const start = end - BUCKET_MS * BUCKETS
      return {
        now,
        times: Array.from({ length: BUCKETS }, (_, i) => (start + i * BUCKET_MS) / 1000),
        buckets: bucketEvents(log.events, end, BUCKET_MS, BUCKETS),
      }
    },
    [],
    5000,
  )
  const now = stats.data?.now
  const times = stats.data?.times ?? []
  const series = (read: (bucket: Bucket) => number | null) => (stats.data?.buckets ?? []).map(read)

  return (
    <>
      <PageHeader
        title="Monitoring"
        intro="The last hour. Watch these during a test session: they say whether participants reach the milestones and whether your systems hear about it."
      />
      {stats.error && <ErrorNotice error={stats.error} />}
      {!now ? (
        !stats.error && <p class="muted">Loading…</p>
      ) : (
        <div class="figures">
          <FigureCard
            title="Event fire rate"
            value={now.events.firesPerSession === null ? '—' : `${round(now.events.firesPerSession)} / session`}
            note="Events fired per session. A low one: participants may not be reaching key milestones."
          >
            <TimeChart
              times={times}
              values={series((b) => b.fireRate)}
              format={round}
              label="Events per session, in two-minute steps over the last hour"
            />
          </FigureCard>
          <FigureCard
            title="Delivery success rate"
            value={percent(now.deliveries.successRate)}
            note={`Deliveries that ended delivered, of those that ended (${now.deliveries.succeeded} delivered, ${now.deliveries.failed} failed${now.deliveries.pending ? `, ${now.deliveries.pending} still going` : ''}). A retry that later succeeds does not lower it: below 100% is data missing in some system.`}
          >
            <TimeChart
              times={times}
              values={series((b) => b.successRate)}
              max={1}
              format={percent}
              label="Delivery success rate, in two-minute steps over the last hour"
            />
          </FigureCard>
          <FigureCard
            title="Attempt success rate"
            value={percent(now.attempts.successRate)}
            note={`Webhook requests answered with a 2xx, every retry counted (${now.attempts.succeeded} of ${now.attempts.succeeded + now.attempts.failed}). Below the delivery rate: an endpoint refusing, then accepting on a retry.`}
          >
            <ul class="per-webhook small">
              {now.webhooks.map((webhook) => (
                <li key={webhook.id}>
                  <span>{webhook.name}</span>
                  <span class="mono">{percent(webhook.attemptSuccessRate)}</span>
                </li>
              ))}
            </ul>
          </FigureCard>
          <FigureCard
            title="Payload validation rate"
            value={percent(now.events.validationRate)}
            note="Events whose props match the event's schema. Invalid ones point to a wiring mistake in the prototype."
          >
            <TimeChart
              times={times}
              values={series((b) => b.validationRate)}
              max={1}
              format={percent}
              label="Validation rate, in two-minute steps over the last hour"
            />
          </FigureCard>
          <FigureCard
            title="Event-to-action latency"
            wide
            value={
              now.deliveries.latencyMs.p50 === null ? '—' : `${formatMs(now.deliveries.latencyMs.p50)} p50, tap → 2xx`
            }
            note="Both halves of a round trip. High values slow the prototype's responses. One request's own time (request → response) is in each webhook's delivery log."
          >
            <div class="grid-2">
              <div>
                <h3 class="latency-title">Tap → endpoint 2xx</h3>
                <p class="muted small">
                  From the event in the browser to the endpoint's 2xx, queues and retries included.
                </p>
                <LatencyBars latency={now.deliveries.latencyMs} label="Tap to endpoint 2xx" />
              </div>
              <div>
                <h3 class="latency-title">Inbound webhook → prototype's stream</h3>
                <p class="muted small">
                  From a system's inbound webhook reaching the relay to its update written to the open prototypes
                  {now.inbound.framesWritten === 0 ? ' (none yet).' : ` (${now.inbound.framesWritten} updates).`}
                </p>
                <LatencyBars latency={now.inbound.latencyMs} label="Inbound webhook to stream frame written" />
              </div>
            </div>
          </FigureCard>
          <section class="card figure wide" aria-labelledby="monitoring-notices-title">
            <h2 id="monitoring-notices-title">Relay notices</h2>
            <RecentNotices
              withinMs={BUCKET_MS * BUCKETS}
              empty="None in the last hour: no webhook paused, was turned off, resumed or gave up on a delivery."
            />
            <p class="muted small">
              What the relay did about your webhooks. A webhook subscribed to "Relay notices" receives each of these
              too, signed like any event.
            </p>
          </section>
        </div>
      )}
    </>
  )
}

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value * 1000) / 10}%`
}

function round(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10)
}
