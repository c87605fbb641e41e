import { Badge } from '../ui/badge.tsx'
import type { Webhook } from '@hookline/protocol'

export function WebhookStatus({ status }: { status: Webhook['status'] }) {
  if (status === 'paused') return <Badge tone="warn">paused</Badge>
  if (status === 'disabled') return <Badge tone="neutral">turned off</Badge>
  return <Badge tone="good">active</Badge>
}
