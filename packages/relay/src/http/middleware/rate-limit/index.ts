import type { HttpBindings } from '@hono/node-server'
import type { Context, MiddlewareHandler } from 'hono'
import type { RelayEnv } from '../../env.ts'
import { HttpError } from '../../errors.ts'

/**
 * A token bucket per publishable key and client address: `burst` requests at once, refilled at
 * `perSecond`. Over it: 429 with `Retry-After` (whole seconds until a token is back).
 */
export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token; returns 0 when granted, else the milliseconds until one is available. */
  take(bucketKey: string): number {
    const now = this.now()
    let bucket = this.#buckets.get(bucketKey)
    if (!bucket) {
      if (this.#buckets.size >= 50_000) this.#prune(now)
      bucket = { tokens: this.burst, at: now }
      this.#buckets.set(bucketKey, bucket)
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond)
    bucket.at = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.ceil(((1 - bucket.tokens) / this.perSecond) * 1000)
  }

  // Full buckets carry no state worth keeping.
  #prune(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.burst) this.#buckets.delete(key)
    }
  }
}

/**
 * The address the request came from (the socket's; forwarding headers are not trusted). Requests
 * handed to `app.request()` come through no socket at all.
 */
export function clientAddress(c: Context<RelayEnv>): string {
  const bindings = c.env as Partial<HttpBindings> | undefined
  return bindings?.incoming?.socket.remoteAddress ?? 'unknown'
}

/** Runs after `browserAccess`: limits by the resolved key and the client address. */
export function rateLimit(limiter: RateLimiter): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    const waitMs = limiter.take(`${c.get('key').hash}|${clientAddress(c)}`)
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000))
      c.header('retry-after', String(seconds))
      throw new HttpError(
        429,
        'rate_limited',
        `Too many requests for this key from this address; retry in ${seconds} s.`,
        { retryAfterSeconds: seconds },
      )
    }
    await next()
  }
}
