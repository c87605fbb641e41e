import type { Listener } from '../storage/listeners.ts'
import type { AttemptsTable, DeliveriesTable } from '../storage/schema.ts'
import type { Webhook } from '../storage/webhooks.ts'

// The JSON shapes the admin API answers with. Never a secret: those are shown once, by the route
// that makes them.

const iso = (ms: number) => new Date(ms).toISOString()

/** A webhook; `secretRotating` while the previous secret still signs beside the new one. */
export function webhookView(webhook: Webhook) {
  return {
    id: webhook.id,
    projectId: webhook.projectId,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    environment: webhook.environment,
    template: webhook.template,
    timeoutMs: webhook.timeoutMs,
    retry: webhook.retry,
    response: webhook.response,
    enabled: webhook.status !== 'disabled',
    status: webhook.status,
    statusReason: webhook.statusReason,
    consecutiveFailures: webhook.consecutiveFailures,
    filter: webhook.filter,
    autoResume: webhook.autoResume,
    ordering: webhook.ordering,
    pausedBy: webhook.status === 'paused' ? webhook.pausedBy : null,
    nextProbeAt: webhook.status === 'paused' && webhook.nextProbeAt !== null ? iso(webhook.nextProbeAt) : null,
    secretRotating: webhook.previousSecretExpiresAt !== null && webhook.previousSecretExpiresAt > Date.now(),
    createdAt: iso(webhook.createdAt),
    updatedAt: iso(webhook.updatedAt),
  }
}

/** A delivery; `held` is a pending delivery of a paused or disabled webhook. */
export function deliveryView(row: DeliveriesTable, webhook: Webhook) {
  const held = row.status === 'pending' && webhook.status !== 'active'
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    messageId: row.msg_id,
    kind: row.kind,
    sessionId: row.session_id,
    status: held ? 'held' : row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    latencyMs: row.latency_ms,
    createdAt: iso(row.created_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
    outOfOrder: row.out_of_order === 1,
  }
}

/** One attempt as the delivery log keeps it: the request sent, and what came back. */
export function attemptView(row: AttemptsTable) {
  return {
    attempt: row.attempt,
    startedAt: iso(row.started_at),
    status: row.response_status,
    latencyMs: row.latency_ms,
    request: { headers: JSON.parse(row.request_headers) as Record<string, string>, body: row.request_body },
    responseHeaders:
      row.response_headers === null ? null : (JSON.parse(row.response_headers) as Record<string, string>),
    responseBody: row.response_body,
    error: row.error,
  }
}

/** A listener, with the URL its sender posts to. */
export function listenerView(listener: Listener) {
  return {
    id: listener.id,
    projectId: listener.projectId,
    name: listener.name,
    url: `/v1/inbound/${listener.id}`,
    set: listener.set,
    target: listener.target,
    verify: listener.verify,
    environment: listener.environment,
    createdAt: iso(listener.createdAt),
    updatedAt: iso(listener.updatedAt),
  }
}
