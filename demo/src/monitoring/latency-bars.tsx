interface Props {
  latency: { p50: number | null; p95: number | null; p99: number | null }
  /** What is timed, for screen readers. @default 'Latency' */
  label?: string
}

/** Whole milliseconds, or tenths under 10 ms (a frame reaches the stream in a millisecond or two). */
export function formatMs(value: number): string {
  return value >= 10 ? `${Math.round(value)} ms` : `${Math.round(value * 10) / 10} ms`
}

/** p50, p95 and p99 as three horizontal bars on one scale, hand-drawn in SVG. */
export function LatencyBars({ latency, label = 'Latency' }: Props) {
  const rows = [
    { name: 'p50', value: latency.p50 },
    { name: 'p95', value: latency.p95 },
    { name: 'p99', value: latency.p99 },
  ]
  const top = Math.max(1, ...rows.map((row) => row.value ?? 0))
  return (
    <svg
      class="bars"
      viewBox="0 0 240 72"
      role="img"
      aria-label={`${label}: ${rows.map((row) => `${row.name} ${row.value === null ? 'no data' : formatMs(row.value)}`).join(', ')}`}
    >
      {rows.map((row, index) => (
        <g key={row.name} transform={`translate(0 ${index * 24})`}>
          <text x="0" y="15" class="bar-label">
            {row.name}
          </text>
          <rect x="34" y="5" width="150" height="12" rx="3" class="track" />
          <rect
            x="34"
            y="5"
            width={row.value === null ? 0 : Math.max(2, (row.value / top) * 150)}
            height="12"
            rx="3"
            class={`bar ${row.name}`}
          />
          <text x="240" y="15" text-anchor="end" class="bar-value">
            {row.value === null ? '—' : formatMs(row.value)}
          </text>
        </g>
      ))}
    </svg>
  )
}
