import { useEffect, useState } from 'preact/hooks'
import { api } from '../api.ts'
import { Notice } from '../ui/notice.tsx'
import { PageHeader } from '../ui/page-header.tsx'
import { useLoad } from '../ui/use-load.ts'
import { FigureCard } from './figure-card.tsx'
import { LatencyBars } from './latency-bars.tsx'
import { Sparkline } from './sparkline.tsx'
import type { Stats } from './stats.ts'

/** How many polls the sparklines keep: five minutes at one every five seconds. */
const HISTORY = 60

/** The four figures of the seed docs, polled every five seconds and drawn as they move. */
export function MonitoringPage() {
  const stats = useLoad(() => api<Stats>('GET', '/stats'), [], 5000)
  const [history, setHistory] = useState<Stats[]>([])
  useEffect(() => {
    if (stats.data !== undefined) setHistory((old) => [...old, stats.data!].slice(-HISTORY))
  }, [stats.data])
  const now = history.at(-1)
  const percent = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${Math.round(value * 1000) / 10}%`)
  const series = (read: (figures: Stats) => number | null) => history.map(read)

  return (
    <>
      <PageHeader title="Monitoring" intro="Watch these during a test session: they say whether participants reach the milestones and whether your systems hear about it." />
      {stats.error && <Notice>{stats.error.message}</Notice>}
      {!now ? (
        !stats.error && <p class="muted">Loading…</p>
      ) : (
        <div class="figures">
          <FigureCard title="Event fire rate" value={now.events.firesPerSession === null ? '—' : `${round(now.events.firesPerSession)} / session`} note="Events fired per session. A low one: participants may not be reaching key milestones.">
            <Sparkline values={series((f) => f.events.firesPerSession)} label="Events per session over the last minutes" />
          </FigureCard>
          <FigureCard title="Delivery success rate" value={percent(now.deliveries.successRate)} note="Webhook requests answered with a 2xx. Anything below 100% is missing data in some system.">
            <Sparkline values={series((f) => f.deliveries.successRate)} max={1} label="Delivery success rate over the last minutes" />
          </FigureCard>
          <FigureCard title="Event-to-action latency" value={now.deliveries.latencyMs.p50 === null ? '—' : `${Math.round(now.deliveries.latencyMs.p50)} ms p50`} note="From the event firing to the endpoint's 2xx. High values slow the prototype's responses.">
            <LatencyBars latency={now.deliveries.latencyMs} />
          </FigureCard>
          <FigureCard title="Payload validation rate" value={percent(now.events.validationRate)} note="Events whose props match the event's schema. Invalid ones point to a wiring mistake in the prototype.">
            <Sparkline values={series((f) => f.events.validationRate)} max={1} label="Validation rate over the last minutes" />
          </FigureCard>
        </div>
      )}
    </>
  )
}

function round(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10)
}
