import type { ComponentChildren } from 'preact'

export type BadgeTone = 'good' | 'bad' | 'warn' | 'info' | 'neutral'

export function Badge({ tone, children }: { tone: BadgeTone; children: ComponentChildren }) {
  return <span class={`badge ${tone}`}>{children}</span>
}

/** An HTTP status as a badge: green for 2xx, red otherwise, grey when no response came. */
export function HttpStatus({ status }: { status: number | null | undefined }) {
  if (!status) return <Badge tone="neutral">no response</Badge>
  return <Badge tone={status >= 200 && status < 300 ? 'good' : 'bad'}>{status}</Badge>
}
