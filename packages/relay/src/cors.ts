import type { Context, MiddlewareHandler } from 'hono'
import { requireKey, type KeyResolver, type KeyScope } from './auth.ts'
import type { RelayEnv } from './context.ts'
import { HttpError } from './errors.ts'

/**
 * Access for browser routes (`/v1/events`, `/v1/config`, `/v1/stream`): answers CORS preflights,
 * resolves the publishable key into `c.var.key`, and admits only the project's `allowedOrigins`
 * (any origin while that list is empty and the key is a test key).
 */
export function browserAccess(keys: KeyResolver): MiddlewareHandler<RelayEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin')
    if (c.req.method === 'OPTIONS') return preflight(c, keys, origin)
    const scope = await requireKey(keys, c.req.header('authorization'), c.req.query('key'))
    c.set('key', scope)
    if (origin !== undefined) {
      if (!(await originAllowed(keys, scope, origin))) {
        throw new HttpError(
          403,
          'origin_not_allowed',
          `Origin ${origin} is not in this project's allowedOrigins; add it with PATCH /v1/projects/${scope.projectId}.`,
          { origin },
        )
      }
      c.header('access-control-allow-origin', origin)
      c.header('access-control-expose-headers', 'retry-after')
      c.header('vary', 'Origin', { append: true })
    }
    await next()
  }
}

export async function originAllowed(keys: KeyResolver, scope: KeyScope, origin: string): Promise<boolean> {
  const allowed = await keys.origins(scope.projectId)
  if (!allowed) return false
  if (allowed.length === 0) return scope.environment === 'test'
  return allowed.includes(origin)
}

// A preflight carries no Authorization header, so unless the key is in the URL the project is
// unknown here; the real request is checked in full.
async function preflight(c: Context<RelayEnv>, keys: KeyResolver, origin: string | undefined): Promise<Response> {
  if (!origin) return c.body(null, 204)
  const inQuery = c.req.query('key')
  if (inQuery) {
    const scope = await keys.resolve(inQuery)
    if (!scope || !(await originAllowed(keys, scope, origin))) return c.body(null, 204)
  }
  c.header('access-control-allow-origin', origin)
  c.header('access-control-allow-methods', 'GET, POST, OPTIONS')
  c.header(
    'access-control-allow-headers',
    c.req.header('access-control-request-headers') ?? 'authorization, content-type, last-event-id',
  )
  c.header('access-control-max-age', '600')
  c.header('vary', 'Origin')
  return c.body(null, 204)
}
