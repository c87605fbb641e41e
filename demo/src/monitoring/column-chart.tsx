interface Props {
  /** One value per time bucket, oldest first; null where nothing happened. */
  values: readonly (number | null)[]
  /** The top of the scale; the largest value when left out. */
  max?: number
  label: string
  /** How to write a value in a column's tooltip. */
  format: (value: number) => string
}

const WIDTH = 300
const HEIGHT = 64
const GAP = 2

/**
 * A figure over time as thin columns, hand-drawn in SVG: one per bucket, an empty bucket a faint
 * tick, so sparse test sessions read as clearly as busy ones.
 */
export function ColumnChart({ values, max, label, format }: Props) {
  const top = max ?? Math.max(1e-9, ...values.map((value) => value ?? 0))
  const width = WIDTH / Math.max(1, values.length)
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} preserveAspectRatio="none">
        {values.map((value, index) => {
          const x = index * width + GAP / 2
          if (value === null)
            return <rect key={index} x={x} y={HEIGHT - 2} width={width - GAP} height={2} class="empty" />
          const height = Math.max(3, (Math.min(value, top) / top) * (HEIGHT - 4))
          return (
            <rect key={index} x={x} y={HEIGHT - height} width={width - GAP} height={height} rx={1.5} class="column">
              <title>{format(value)}</title>
            </rect>
          )
        })}
      </svg>
      <figcaption class="chart-axis" aria-hidden="true">
        <span>1 h ago</span>
        <span>now</span>
      </figcaption>
    </figure>
  )
}
