import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { bearerToken } from '../../bearer.ts'
import { HttpError } from '../../errors.ts'

/**
 * Admin routes: `Authorization: Bearer <admin token>`. The relay holds only SHA-256 digests of the
 * tokens it accepts (`digests`, hex) and compares in constant time.
 */
export function adminAuth(digests: readonly string[]): MiddlewareHandler {
  const expected = digests.map((digest) => Buffer.from(digest, 'hex'))
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    if (!token)
      throw new HttpError(
        401,
        'unauthorized',
        'Send the admin token as "Authorization: Bearer <token>"; the relay printed it on first start (or set HOOKLINE_ADMIN_TOKEN).',
      )
    if (!accepted(token, expected)) {
      throw new HttpError(
        401,
        'unauthorized',
        'The admin token is wrong; use the one the relay printed on first start (or HOOKLINE_ADMIN_TOKEN).',
      )
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
