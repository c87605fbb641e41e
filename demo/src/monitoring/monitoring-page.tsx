import { api } from '../api.ts'
import { Notice } from '../ui/notice.tsx'
import { PageHeader } from '../ui/page-header.tsx'
import { useLoad } from '../ui/use-load.ts'
import { FigureCard } from './figure-card.tsx'
import { formatMs, LatencyBars } from './latency-bars.tsx'
import { ColumnChart } from './column-chart.tsx'
import { bucketEvents, type Bucket, type LoggedEvent } from './event-series.ts'
import type { Stats } from './stats.ts'

/** The charts span the last hour in two-minute buckets. */
const BUCKET_MS = 2 * 60_000
const BUCKETS = 30

/**
 * The four figures of the seed docs for the last hour: the relay's numbers now (`/stats`), and
 * how three of them moved, bucketed from the recent event log. Refreshed every five seconds.
 */
export function MonitoringPage() {
  const stats = useLoad(
    async () => {
      const [now, log] = await Promise.all([
        api<Stats>('GET', '/stats?window=1h'),
        api<{ events: LoggedEvent[] }>('GET', '/events?limit=200'),
      ])
      return { now, buckets: bucketEvents(log.events, Date.now(), BUCKET_MS, BUCKETS) }
    },
    [],
    5000,
  )
  const now = stats.data?.now
  const percent = (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : `${Math.round(value * 1000) / 10}%`
  const series = (read: (bucket: Bucket) => number | null) => (stats.data?.buckets ?? []).map(read)

  return (
    <>
      <PageHeader
        title="Monitoring"
        intro="The last hour. Watch these during a test session: they say whether participants reach the milestones and whether your systems hear about it."
      />
      {stats.error && <Notice>{stats.error.message}</Notice>}
      {!now ? (
        !stats.error && <p class="muted">Loading…</p>
      ) : (
        <div class="figures">
          <FigureCard
            title="Event fire rate"
            value={now.events.firesPerSession === null ? '—' : `${round(now.events.firesPerSession)} / session`}
            note="Events fired per session. A low one: participants may not be reaching key milestones."
          >
            <ColumnChart
              values={series((b) => b.fireRate)}
              format={(v) => `${round(v)} per session`}
              label="Events per session, in two-minute steps over the last hour"
            />
          </FigureCard>
          <FigureCard
            title="Delivery success rate"
            value={percent(now.deliveries.successRate)}
            note="Webhook requests answered with a 2xx. Anything below 100% is missing data in some system."
          >
            <ColumnChart
              values={series((b) => b.successRate)}
              max={1}
              format={percent}
              label="Delivery success rate, in two-minute steps over the last hour"
            />
          </FigureCard>
          <FigureCard
            title="Event-to-action latency"
            value={now.deliveries.latencyMs.p50 === null ? '—' : `${formatMs(now.deliveries.latencyMs.p50)} p50`}
            note="Both halves of a round trip: the event firing → the endpoint's 2xx, and a system's inbound webhook → its update written to the prototype's stream. High values slow the prototype's responses."
          >
            <p class="muted small">Event → endpoint 2xx</p>
            <LatencyBars latency={now.deliveries.latencyMs} label="Event to endpoint 2xx" />
            <p class="muted small">
              Inbound webhook → stream (
              {now.inbound.framesWritten === 0
                ? 'no frames written yet'
                : `${now.inbound.framesWritten} frames, ${now.inbound.latencyMs.p50 === null ? '—' : formatMs(now.inbound.latencyMs.p50)} p50`}
              )
            </p>
            <LatencyBars latency={now.inbound.latencyMs} label="Inbound webhook to stream frame written" />
            {now.inbound.listeners.some((listener) => listener.framesWritten > 0) && (
              <ul class="muted small">
                {now.inbound.listeners
                  .filter((listener) => listener.framesWritten > 0)
                  .map((listener) => (
                    <li key={listener.id}>
                      {listener.name}: {formatMs(listener.latencyMs.p50 ?? 0)} p50,{' '}
                      {formatMs(listener.latencyMs.p99 ?? 0)} p99 ({listener.framesWritten} frames)
                    </li>
                  ))}
              </ul>
            )}
          </FigureCard>
          <FigureCard
            title="Payload validation rate"
            value={percent(now.events.validationRate)}
            note="Events whose props match the event's schema. Invalid ones point to a wiring mistake in the prototype."
          >
            <ColumnChart
              values={series((b) => b.validationRate)}
              max={1}
              format={percent}
              label="Validation rate, in two-minute steps over the last hour"
            />
          </FigureCard>
        </div>
      )}
    </>
  )
}

function round(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10)
}
