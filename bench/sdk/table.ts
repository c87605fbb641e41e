// Plain-text tables that read the same in a terminal and in BENCHMARKS.md (Markdown pipes).
export function table(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => '---'), ...rows]
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

export function ratio(ours: number, baseline: number): string {
  return baseline > 0 ? `${(ours / baseline).toFixed(2)}×` : 'n/a'
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Microseconds with the precision the figure deserves. */
export function us(value: number): string {
  return value >= 100 ? `${Math.round(value)} µs` : `${value.toFixed(value >= 10 ? 1 : 2)} µs`
}
