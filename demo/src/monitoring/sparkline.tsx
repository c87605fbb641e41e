interface Props {
  values: readonly (number | null)[]
  /** The top of the scale; the largest value when left out. */
  max?: number
  label: string
}

const WIDTH = 240
const HEIGHT = 56
const PAD = 4

/** A small line over time, hand-drawn in SVG: the figure's last few minutes, as polled. */
export function Sparkline({ values, max, label }: Props) {
  const points = values.map((value, index) => ({ value, index })).filter((point): point is { value: number; index: number } => point.value !== null)
  const top = max ?? Math.max(1, ...points.map((point) => point.value))
  const x = (index: number) => PAD + (values.length <= 1 ? WIDTH - 2 * PAD : (index / (values.length - 1)) * (WIDTH - 2 * PAD))
  const y = (value: number) => HEIGHT - PAD - (Math.min(value, top) / top) * (HEIGHT - 2 * PAD)
  const line = points.map((point, i) => `${i === 0 ? 'M' : 'L'}${x(point.index).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ')
  const last = points.at(-1)
  return (
    <svg class="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} preserveAspectRatio="none">
      <line x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} class="axis" />
      {points.length > 1 && <path d={`${line} L${x(last!.index).toFixed(1)},${HEIGHT - PAD} L${x(points[0]!.index).toFixed(1)},${HEIGHT - PAD} Z`} class="area" />}
      {points.length > 0 && <path d={line} class="line" />}
      {last && <circle cx={x(last.index)} cy={y(last.value)} r="3" class="dot" />}
    </svg>
  )
}
