import type { Context } from 'hono'
import type { RelayEnv } from '../../env.ts'
import { HttpError } from '../../errors.ts'
import { clientAddress, type RateLimiter } from '../rate-limit/index.ts'

/**
 * Wrong admin (or metrics) tokens, counted per client address in a token bucket: each wrong token
 * takes one. While an address has none left, every request of it to a token-guarded route is 429
 * before its token is looked at, the right token too: were a right token let through, a 200 among
 * the 429s would still tell a guesser when a guess was right. Other addresses are not touched, so
 * the operator's own address keeps working whatever a guesser elsewhere does. A request without a
 * token guesses nothing and costs nothing.
 */
export class AuthFailures {
  constructor(private readonly limiter: RateLimiter) {}

  /** 429 `too_many_auth_failures` with `Retry-After` while this address has no wrong guesses left. */
  refuseWhileOver(c: Context<RelayEnv>): void {
    const waitMs = this.limiter.waitMs(clientAddress(c))
    if (waitMs === 0) return
    const seconds = Math.max(1, Math.ceil(waitMs / 1000))
    c.header('retry-after', String(seconds))
    throw new HttpError(
      429,
      'too_many_auth_failures',
      `Too many wrong tokens from this address; no token is checked from it for ${seconds} s. Check the token you send (the relay printed it on first start, or HOOKLINE_ADMIN_TOKEN).`,
      { retryAfterSeconds: seconds, limit: 'auth_failures' },
    )
  }

  /** Counts one wrong token against this address. */
  record(c: Context<RelayEnv>): void {
    this.limiter.take(clientAddress(c))
  }
}
