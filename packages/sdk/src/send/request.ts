/** One request to the relay, by method, path and JSON body. */
export type RelayRequest = (method: string, path: string, body?: string) => Promise<Response>

/**
 * Requests to the relay with `fetch`: the key as a bearer token, a JSON body, a 15 s timeout, no
 * retries of their own (the sender and the session claim own backoff and `Retry-After`).
 */
export const relayRequest =
  (relay: string, key: string): RelayRequest =>
  (method, path, body) =>
    fetch(relay + path, {
      method,
      body,
      headers: { authorization: `Bearer ${key}`, ...(body && { 'content-type': 'application/json' }) },
      // Older Safari has no AbortSignal.timeout: no timeout there.
      signal: (AbortSignal as Partial<typeof AbortSignal>).timeout?.(15_000),
    })
