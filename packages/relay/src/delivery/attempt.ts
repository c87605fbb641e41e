import { newId, sign } from '@hookline/protocol'
import type { AttemptRecord } from '../storage/attempt-results.ts'
import type { ClaimedDelivery } from '../storage/delivery-queue.ts'
import type { Webhook } from '../storage/webhooks.ts'
import { activeSecrets, renderBody, USER_AGENT } from './outgoing.ts'
import { judge, type Verdict } from './retry.ts'
import { LOGGED_BODY_BYTES, type Sender, type SendResult } from './send.ts'

/** What one attempt did: the answer, the verdict of the delivery rules, and the record to write. */
export interface AttemptOutcome {
  /** 1 for the first attempt of the delivery. */
  attempt: number
  result: SendResult
  verdict: Verdict
  finishedAt: number
  record: AttemptRecord
}

// A test send is tried once: its answer is shown at once, not retried.
const TEST_RETRY = { maxAttempts: 1, scheduleMs: null }

/**
 * One attempt of a delivery: renders the body (unless the delivery carries its own), signs it
 * afresh with the webhook's secrets, sends it, and judges the answer. Writes nothing.
 */
export async function attemptDelivery(sender: Sender, row: ClaimedDelivery, webhook: Webhook): Promise<AttemptOutcome> {
  const attempt = row.attempts + 1
  const startedAt = Date.now()
  // An event delivery renders afresh (the template may have changed since); a test send, or an
  // event no longer stored, sends the message's stored body.
  const body =
    row.body !== null && (row.kind === 'test' || row.event_body === null) ? row.body : renderBody(row, webhook)
  // Encoded once: the bytes signed are the bytes sent.
  const bytes = Buffer.from(body)
  const signed = await sign(activeSecrets(webhook, startedAt), row.msg_id, Math.floor(startedAt / 1000), bytes)
  const headers = { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signed }
  const result = await sender.send({ url: webhook.url, headers, body: bytes, timeoutMs: webhook.timeoutMs })
  const verdict = judge(result, attempt, row.kind === 'test' ? TEST_RETRY : webhook.retry)
  const finishedAt = Date.now()
  const sent = { attempt, startedAt, headers, body }
  return { attempt, result, verdict, finishedAt, record: attemptRecord(row, sent, result, verdict, finishedAt) }
}

/** The attempt's row in the log, and what it changes in its delivery. */
function attemptRecord(
  row: ClaimedDelivery,
  sent: { attempt: number; startedAt: number; headers: Record<string, string>; body: string },
  result: SendResult,
  verdict: Verdict,
  finishedAt: number,
): AttemptRecord {
  const delivered = verdict.outcome === 'delivered'
  const final = verdict.outcome !== 'retry'
  const error = verdict.outcome === 'delivered' ? null : verdict.reason
  return {
    claimedBy: row.claimed_by,
    lane: row.lane,
    attempt: {
      id: newId('att'),
      delivery_id: row.id,
      project_id: row.project_id,
      webhook_id: row.webhook_id,
      attempt: sent.attempt,
      started_at: sent.startedAt,
      latency_ms: result.latencyMs,
      request_headers: JSON.stringify(sent.headers),
      // Stored once per message: on the delivery, unless this attempt sent other bytes.
      request_body: row.body === null || row.body === sent.body ? '' : sent.body,
      response_status: result.status,
      response_headers: result.headers && JSON.stringify(result.headers),
      response_body: result.body && result.body.slice(0, LOGGED_BODY_BYTES),
      error,
    },
    delivery: {
      id: row.id,
      status: delivered ? 'succeeded' : final ? 'failed' : 'pending',
      attempts: sent.attempt,
      updated_at: finishedAt,
      next_attempt_at: verdict.outcome === 'retry' ? finishedAt + verdict.delayMs : row.next_attempt_at,
      last_status: result.status,
      last_error: error,
      finished_at: final ? finishedAt : null,
      latency_ms: delivered ? finishedAt - row.event_received_at : null,
      body: row.body ?? sent.body,
      // Failed for good at the head of its session's lane: the lane moves on without it.
      out_of_order: row.out_of_order === 1 || (row.lane !== null && final && !delivered) ? 1 : 0,
    },
  }
}
