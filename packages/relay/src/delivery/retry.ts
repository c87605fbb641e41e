import { WEBHOOK_RETRY } from '@hookline/protocol'
import type { SendResult } from './send.ts'

/**
 * 1 s, 5 s, 25 s after the first attempt (docs/webhooks.md), each ±20%: the protocol's default, not a
 * copy, so the schedule the relay keeps is the one the admin API and the dashboard describe.
 */
export const DEFAULT_SCHEDULE_MS: readonly number[] = WEBHOOK_RETRY.defaultScheduleMs
/** The longest a `Retry-After` may hold a delivery back. */
export const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000
/** Statuses worth trying again: the endpoint may answer differently later. */
const RETRYABLE_STATUS = new Set([408, 425, 429])

/** What to do after one attempt. */
export type Verdict =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; delayMs: number; reason: string }
  | { outcome: 'failed'; reason: string; disable?: boolean }

/**
 * Applies the delivery rules of docs/webhooks.md to one attempt's result: 2xx succeeds; 410 fails and disables;
 * connection errors, timeouts, 408, 425, 429 and 5xx are retried while attempts remain, after the
 * webhook's schedule with ±20% jitter or a later `Retry-After`; anything else (3xx, other 4xx, an
 * SSRF refusal) fails at once.
 */
export function judge(
  result: SendResult,
  attempt: number,
  retry: { maxAttempts: number; scheduleMs: number[] | null },
  random = Math.random,
): Verdict {
  const { status } = result
  if (status >= 200 && status < 300) return { outcome: 'delivered' }
  const reason = describeFailure(result)
  if (status === 410)
    return { outcome: 'failed', reason: `${reason}; the endpoint is gone, so the webhook was disabled.`, disable: true }
  const retryable = status === 0 ? result.failure !== 'ssrf' : RETRYABLE_STATUS.has(status) || status >= 500
  if (!retryable || attempt >= retry.maxAttempts) return { outcome: 'failed', reason }
  const schedule = retry.scheduleMs?.length ? retry.scheduleMs : DEFAULT_SCHEDULE_MS
  const base = schedule.at(Math.min(attempt - 1, schedule.length - 1)) ?? 0
  const jittered = Math.round(base * (0.8 + 0.4 * random()))
  const retryAfter = parseRetryAfter(result.headers?.['retry-after'])
  return { outcome: 'retry', delayMs: Math.max(jittered, retryAfter ?? 0), reason }
}

/** `Retry-After` as milliseconds from now (seconds or an HTTP date), bounded; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now
  if (!Number.isFinite(ms)) return undefined
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS)
}

export function describeFailure(result: SendResult): string {
  if (result.status === 0) return result.error ?? 'No response.'
  if (result.status >= 300 && result.status < 400) {
    const location = result.headers?.location
    return `HTTP ${result.status}: redirects are not followed${location ? ` (Location: ${location.slice(0, 200)})` : ''}; point the webhook at the final URL.`
  }
  return `HTTP ${result.status} from the endpoint.`
}
