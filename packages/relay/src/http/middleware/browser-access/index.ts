import type { Context, MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { KeyResolver, KeyScope } from '../../../domain/keys.ts'
import { bearerToken } from '../../bearer.ts'
import type { RelayEnv } from '../../env.ts'
import { HttpError } from '../../errors.ts'

/**
 * Access for browser routes (`/v1/events`, `/v1/config`, `/v1/stream`): resolves the publishable
 * key into `c.var.key`, admits only the project's `allowedOrigins` (any origin while that list is
 * empty and the key is a test key), and answers CORS, preflights included, with Hono's `cors`.
 */
export function browserAccess(keys: KeyResolver): MiddlewareHandler<RelayEnv> {
  const corsHeaders = cors({
    // Called with '' when the request has no Origin; a real request's origin was checked already.
    origin: (origin, c) => (!origin ? null : c.req.method === 'OPTIONS' ? preflightOrigin(keys, origin, c) : origin),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    exposeHeaders: ['retry-after'],
    maxAge: 600,
  })
  return async (c, next) => {
    if (c.req.method !== 'OPTIONS') c.set('key', await admit(keys, c))
    return corsHeaders(c, next)
  }
}

/** The key of a real request, from a page the project admits; 401 or 403 otherwise. */
async function admit(keys: KeyResolver, c: Context<RelayEnv>): Promise<KeyScope> {
  const scope = await requireKey(keys, c.req.header('authorization'), c.req.query('key'))
  const origin = c.req.header('origin')
  if (origin !== undefined && !(await keys.originAllowed(scope, origin))) {
    throw new HttpError(
      403,
      'origin_not_allowed',
      `Origin ${origin} is not in this project's allowedOrigins; add it with PATCH /v1/projects/${scope.projectId}.`,
      { origin },
    )
  }
  return scope
}

// A preflight carries no Authorization header, so unless the key is in the URL the project is
// unknown here; the real request is checked in full.
async function preflightOrigin(keys: KeyResolver, origin: string, c: Context): Promise<string | null> {
  const inQuery = c.req.query('key')
  if (!inQuery) return origin
  const scope = await keys.resolve(inQuery)
  return scope && (await keys.originAllowed(scope, origin)) ? origin : null
}

/** The publishable key of a browser request (`Authorization: Bearer pk_…` or `?key=pk_…`), resolved; 401 without a valid one. */
async function requireKey(
  keys: KeyResolver,
  authorization: string | undefined,
  query: string | undefined,
): Promise<KeyScope> {
  const key = bearerToken(authorization) ?? query
  if (!key)
    throw new HttpError(
      401,
      'missing_key',
      'Send the project\'s publishable key as "Authorization: Bearer pk_test_…" or "?key=pk_test_…".',
    )
  const scope = await keys.resolve(key)
  if (!scope)
    throw new HttpError(
      401,
      'invalid_key',
      'This publishable key is not known to the relay; copy the pk_test_… or pk_live_… key of your project again.',
    )
  return scope
}
