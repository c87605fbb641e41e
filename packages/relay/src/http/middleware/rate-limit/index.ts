import type { HttpBindings } from '@hono/node-server'
import type { Context, MiddlewareHandler } from 'hono'
import type { RelayEnv } from '../../env.ts'
import { HttpError } from '../../errors.ts'

/**
 * A token bucket per publishable key and client address: `burst` tokens at once, refilled at
 * `perSecond`. The relay keeps two: one counts ingest requests, the other the events in them.
 * Over either: 429 with `Retry-After` (whole seconds until the tokens are back).
 */
export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes `cost` tokens (all or none); returns 0 when granted, else the milliseconds until they are
   * available. A cost above the burst takes a full bucket, so it is never refused for ever.
   */
  take(bucketKey: string, cost = 1): number {
    const wanted = Math.min(cost, this.burst)
    const now = this.now()
    let bucket = this.#buckets.get(bucketKey)
    if (!bucket) {
      if (this.#buckets.size >= 50_000) this.#prune(now)
      bucket = { tokens: this.burst, at: now }
      this.#buckets.set(bucketKey, bucket)
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond)
    bucket.at = now
    if (bucket.tokens >= wanted) {
      bucket.tokens -= wanted
      return 0
    }
    return Math.ceil(((wanted - bucket.tokens) / this.perSecond) * 1000)
  }

  /** The milliseconds until `cost` tokens are there, taking none (0 when they are there now). */
  waitMs(bucketKey: string, cost = 1): number {
    const bucket = this.#buckets.get(bucketKey)
    if (!bucket) return 0
    const wanted = Math.min(cost, this.burst)
    const tokens = Math.min(this.burst, bucket.tokens + ((this.now() - bucket.at) / 1000) * this.perSecond)
    return tokens >= wanted ? 0 : Math.ceil(((wanted - tokens) / this.perSecond) * 1000)
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

/**
 * One token per request from the client address's bucket, whoever it claims to be: for routes that
 * take no key (the public documents; inbound webhooks take theirs in `inbound/routes.ts`).
 */
export function rateLimitByAddress(limiter: RateLimiter, what: string): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    const waitMs = limiter.take(clientAddress(c))
    refuseWhenOver(c, waitMs, 'requests', `Too many ${what} from this address`)
    await next()
  }
}

/** Runs after `browserAccess`: one request token by the resolved key and the client address. */
export function rateLimit(limiter: RateLimiter): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    refuseWhenOver(c, limiter.take(bucketOf(c)), 'requests', 'Too many requests for this key from this address')
    await next()
  }
}

/**
 * Takes a token per event of a batch, once the body is read (the count is only known then), from
 * the same key and address's event bucket; 429 when they are not there. Every event counts,
 * invalid ones too: they cost the relay as much.
 */
export function limitEvents(c: Context<RelayEnv>, limiter: RateLimiter, count: number): void {
  if (count > 0)
    refuseWhenOver(
      c,
      limiter.take(bucketOf(c), count),
      'events',
      `Too many events (${count} in this batch) for this key from this address`,
    )
}

/** What a 429 counts, in its `details.limit`. */
export type LimitKind = 'requests' | 'events' | 'inbound' | 'streams' | 'auth_failures'

function bucketOf(c: Context<RelayEnv>): string {
  return `${c.get('key').hash}|${clientAddress(c)}`
}

/**
 * Nothing when `waitMs` is 0; else a 429 `rate_limited` with `Retry-After` (whole seconds, at least
 * 1). `what` says whose allowance ran out: "Too many requests for this key from this address".
 */
export function refuseWhenOver(c: Context<RelayEnv>, waitMs: number, limit: LimitKind, what: string): void {
  if (waitMs === 0) return
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  c.header('retry-after', String(seconds))
  throw new HttpError(429, 'rate_limited', `${what}; retry in ${seconds} s.`, {
    retryAfterSeconds: seconds,
    limit,
  })
}
