import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { bearerToken } from '../../bearer.ts'
import { HttpError } from '../../errors.ts'

/** Admin routes: `Authorization: Bearer <admin token>`, compared in constant time. */
export function adminAuth(adminToken: string): MiddlewareHandler {
  const expected = digest(adminToken)
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    if (!token)
      throw new HttpError(
        401,
        'unauthorized',
        'Send the admin token as "Authorization: Bearer <token>"; the relay printed it on first start and keeps it in its data dir.',
      )
    // Hashes have one length, so the comparison takes the same time whatever was sent.
    if (!timingSafeEqual(digest(token), expected)) {
      throw new HttpError(
        401,
        'unauthorized',
        'The admin token is wrong; use the one the relay printed on first start (or HOOKLINE_ADMIN_TOKEN).',
      )
    }
    await next()
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}
