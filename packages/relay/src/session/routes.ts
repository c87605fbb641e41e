import { Hono } from 'hono'
import { validateSessionClaim, type SessionClaimResponse } from '@hookline/protocol'
import { readJson } from '../http/body.ts'
import type { RelayContext } from '../context.ts'
import type { RelayEnv } from '../http/env.ts'
import { HttpError, invalidInput } from '../http/errors.ts'
import { browserAccess } from '../http/middleware/browser-access/index.ts'
import { rateLimit } from '../http/middleware/rate-limit/index.ts'

/** A claim body is `{}` or `{"id":"ses_…"}`: a few bytes. */
const CLAIM_BYTES = 1024

/**
 * `POST /v1/sessions` (publishable key): claims a session and answers its token, the proof that
 * later events and the stream of that session come from whoever claimed it. The first claim of an
 * id wins; the same id again is 409 `session_taken`, whoever asks.
 */
export function sessionRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  app.use('/v1/sessions', browserAccess(ctx.keys))
  app.post('/v1/sessions', rateLimit(ctx.connectLimiter), async (c) => {
    const scope = c.get('key')
    const { value } = await readJson(c, CLAIM_BYTES)
    const claim = validateSessionClaim(value)
    if (!claim.ok) throw invalidInput('The session claim is not valid', claim.problems)
    const claimed = await ctx.sessions.claim(scope, claim.value.id)
    if (!claimed) {
      throw new HttpError(
        409,
        'session_taken',
        'This session id was claimed before; start a new session (omit "id" to have the relay name one).',
      )
    }
    const body: SessionClaimResponse = claimed
    c.header('cache-control', 'no-store')
    return c.json(body, 201)
  })
  return app
}
