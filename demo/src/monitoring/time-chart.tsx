import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

interface Props {
  /** Bucket start times, in seconds (uPlot's unit), oldest first. */
  times: readonly number[]
  /** One value per bucket; null where nothing happened (a gap, not a zero). */
  values: readonly (number | null)[]
  /** What the chart shows, for screen readers and the series' legend. */
  label: string
  /** The top of the scale; the data's own when left out. */
  max?: number
  format: (value: number) => string
}

const HEIGHT = 110

/**
 * A figure over time, drawn by uPlot: columns per bucket on a time axis, values on hover. The
 * canvas says nothing to a screen reader, so the figure carries a sentence of the latest value.
 */
export function TimeChart({ times, values, label, max, format }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot>()
  const last = [...values].reverse().find((value) => value !== null)

  useEffect(() => {
    const element = box.current
    if (!element) return
    const chart = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        cursor: { y: false, points: { size: 6 } },
        scales: { x: { time: true }, y: { range: (_u, low, high) => [0, max ?? Math.max(high, low, 1e-9)] } },
        axes: [
          {
            stroke: '#5b6472',
            size: 28,
            grid: { show: false },
            ticks: { size: 3 },
            // The time of day alone: uPlot's default adds the date on a second line, cut off here.
            values: (_u, splits) =>
              splits.map((split) =>
                new Date(split * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
              ),
          },
          {
            stroke: '#5b6472',
            size: 44,
            values: (_u, splits) => splits.map((split) => format(split)),
            grid: { stroke: '#eceef2', width: 1 },
            ticks: { show: false },
          },
        ],
        series: [
          {},
          {
            label,
            stroke: '#3b5bdb',
            fill: 'rgba(59, 91, 219, 0.85)',
            width: 0,
            paths: uPlot.paths.bars?.({ size: [0.7, 24] }),
            points: { show: false },
            // uPlot hands null for an empty bucket, whatever its types say.
            value: (_u, value) => ((value as number | null) === null ? '—' : format(value)),
          },
        ],
      },
      [[...times], [...values]] as uPlot.AlignedData,
      element,
    )
    plot.current = chart
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }),
    )
    resize.observe(element)
    return () => {
      resize.disconnect()
      chart.destroy()
      plot.current = undefined
    }
  }, [label, max])

  useEffect(() => {
    plot.current?.setData([[...times], [...values]] as uPlot.AlignedData)
  }, [times, values])

  return (
    <figure class="chart" role="img" aria-label={`${label}. Latest: ${last == null ? 'no data yet' : format(last)}.`}>
      <div ref={box} class="chart-canvas" />
    </figure>
  )
}
