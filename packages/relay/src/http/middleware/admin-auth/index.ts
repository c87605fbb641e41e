import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { bearerToken } from '../../bearer.ts'
import type { RelayEnv } from '../../env.ts'
import { HttpError } from '../../errors.ts'
import type { AuthFailures } from './failures.ts'

/**
 * Admin routes: `Authorization: Bearer <admin token>`. The relay holds only SHA-256 digests of the
 * tokens it accepts (`digests`, hex) and compares in constant time. Wrong tokens count against the
 * client address in `failures`, which refuses that address for a while once it has too many.
 */
export function adminAuth(digests: readonly string[], failures: AuthFailures): MiddlewareHandler<RelayEnv> {
  return bearerAuth(digests, failures, {
    missing:
      'Send the admin token as "Authorization: Bearer <token>"; the relay printed it on first start (or set HOOKLINE_ADMIN_TOKEN).',
    wrong: 'The admin token is wrong; use the one the relay printed on first start (or HOOKLINE_ADMIN_TOKEN).',
  })
}

/**
 * `/metrics`: the admin token, or `HOOKLINE_METRICS_TOKEN` so a scraper need not hold the admin
 * token (the series name project and webhook ids). `HOOKLINE_METRICS_PUBLIC=1` mounts none of this.
 */
export function metricsAuth(digests: readonly string[], failures: AuthFailures): MiddlewareHandler<RelayEnv> {
  const how =
    'as "Authorization: Bearer <token>" (Prometheus: `authorization: {credentials: …}` in the scrape config), or set HOOKLINE_METRICS_PUBLIC=1 to serve /metrics without one.'
  return bearerAuth(digests, failures, {
    missing: `/metrics needs the admin token or HOOKLINE_METRICS_TOKEN, sent ${how}`,
    wrong: `That token is neither the admin token nor HOOKLINE_METRICS_TOKEN; send one of them ${how}`,
  })
}

function bearerAuth(
  digests: readonly string[],
  failures: AuthFailures,
  messages: { missing: string; wrong: string },
): MiddlewareHandler<RelayEnv> {
  const expected = digests.map((digest) => Buffer.from(digest, 'hex'))
  return async (c, next) => {
    failures.refuseWhileOver(c)
    const token = bearerToken(c.req.header('authorization'))
    if (!token) throw new HttpError(401, 'unauthorized', messages.missing)
    if (!accepted(token, expected)) {
      failures.record(c)
      throw new HttpError(401, 'unauthorized', messages.wrong)
    }
    await next()
  }
}

/** Whether `token` is one of `expected`: every digest is compared (they have one length), so the time says nothing. */
export function accepted(token: string, expected: readonly Buffer[]): boolean {
  const digest = createHash('sha256').update(token).digest()
  let match = false
  for (const candidate of expected) match = timingSafeEqual(digest, candidate) || match
  return match
}
