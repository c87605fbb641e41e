import { Hono } from 'hono'
import packageJson from '../../package.json' with { type: 'json' }
import type { RelayEnv } from '../http/env.ts'
import { rateLimitByAddress, type RateLimiter } from '../http/middleware/rate-limit/index.ts'
import { openApiDocument } from './document.ts'

/**
 * `GET /v1/openapi.json`: the API description, public like the API's shape itself; made once, and
 * limited per client address like every public route.
 */
export function openApiRoutes(limiter: RateLimiter): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  let document: string | undefined
  app.get('/v1/openapi.json', rateLimitByAddress(limiter, 'requests for the API description'), (c) => {
    document ??= JSON.stringify(openApiDocument(packageJson.version))
    return c.body(document, 200, { 'content-type': 'application/json; charset=utf-8' })
  })
  return app
}
