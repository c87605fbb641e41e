import { Hono } from 'hono'
import packageJson from '../../package.json' with { type: 'json' }
import type { RelayEnv } from '../http/env.ts'
import { openApiDocument } from './document.ts'

/** `GET /v1/openapi.json`: the API description, public like the API's shape itself; made once. */
export function openApiRoutes(): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  let document: string | undefined
  app.get('/v1/openapi.json', (c) => {
    document ??= JSON.stringify(openApiDocument(packageJson.version))
    return c.body(document, 200, { 'content-type': 'application/json; charset=utf-8' })
  })
  return app
}
