import { Badge } from '../ui/badge.tsx'

/** succeeded → green "delivered", failed → red, and the in-between states in grey. */
export function DeliveryStatus({ status }: { status: string }) {
  if (status === 'succeeded') return <Badge tone="good">delivered</Badge>
  if (status === 'failed') return <Badge tone="bad">failed</Badge>
  if (status === 'held' || status === 'paused') return <Badge tone="warn">held</Badge>
  if (status === 'filtered') return <Badge tone="info">filtered</Badge>
  return <Badge tone="neutral">{status}</Badge>
}
