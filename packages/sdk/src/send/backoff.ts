/**
 * Exponential backoff with ±20% jitter (1 s, 2 s, 4 s … `cap`, 60 s by default), never sooner than
 * `Retry-After` (capped at 10 min). The sender uses it after a failed request, the stream after a
 * refused connection (with a 30 s cap).
 */
export function backoffDelay(attempt: number, retryAfterMs: number | undefined, cap = 60_000): number {
  const exponential = Math.min(cap, 1000 * 2 ** Math.max(0, attempt - 1)) * (0.8 + 0.4 * Math.random())
  return Math.round(Math.max(exponential, Math.min(retryAfterMs ?? 0, 600_000)))
}
