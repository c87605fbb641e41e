interface Props {
  latency: { p50: number | null; p95: number | null; p99: number | null }
  /** What is timed, for screen readers. @default 'Latency' */
  label?: string
}

/** Whole milliseconds, or tenths under 10 ms (a frame reaches the stream in a millisecond or two). */
export function formatMs(value: number): string {
  return value >= 10 ? `${Math.round(value)} ms` : `${Math.round(value * 10) / 10} ms`
}

/**
 * p50, p95 and p99 as three horizontal bars on one scale. A grid of name, bar and value: the value
 * has its own column, so however long it is it never runs over the end of its bar.
 */
export function LatencyBars({ latency, label = 'Latency' }: Props) {
  const rows = [
    { name: 'p50', value: latency.p50 },
    { name: 'p95', value: latency.p95 },
    { name: 'p99', value: latency.p99 },
  ]
  const top = Math.max(1, ...rows.map((row) => row.value ?? 0))
  return (
    <dl class="bars" aria-label={label}>
      {rows.map((row) => (
        <div key={row.name} class="bar-row">
          <dt class="bar-label">{row.name}</dt>
          <dd class="bar-track" aria-hidden="true">
            <span
              class={`bar ${row.name}`}
              style={{ width: row.value === null ? '0' : `${Math.max(1.5, (row.value / top) * 100)}%` }}
            />
          </dd>
          <dd class="bar-value">{row.value === null ? '—' : formatMs(row.value)}</dd>
        </div>
      ))}
    </dl>
  )
}
