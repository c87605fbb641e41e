import { readFileSync } from 'node:fs'
import SwaggerParser from '@apidevtools/swagger-parser'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import packageJson from '../../package.json' with { type: 'json' }
import { createTestRelay, type Answer, type InProcessRelay } from '../testing.ts'
import { openApiDocument, openApiPath, operations } from './document.ts'

let relay: InProcessRelay
beforeAll(async () => {
  relay = await createTestRelay()
})
afterAll(() => relay.close())

type DocumentedOperation = {
  security?: unknown
  responses: Record<string, { $ref?: string }>
  requestBody?: { content: Record<string, { schema: unknown } | undefined> }
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete'])

/** What app.ts mounts: every method route (middleware is `ALL`), as `get /v1/projects/{pid}`. */
function mountedRoutes(): Set<string> {
  const routes = relay.app.routes
    .filter((route) => METHODS.has(route.method.toLowerCase()))
    .map((route) => `${route.method.toLowerCase()} ${openApiPath(route.path)}`)
  return new Set(routes)
}

/** Checks an answer against the schema its operation documents for that status. */
function conforms(method: string, path: string, answer: Answer): void {
  const operation = operations.find((op) => op.method === method && op.path === path)
  const documented = operation?.responses[answer.status]
  expect(documented, `${method} ${path} answered ${String(answer.status)}, undocumented`).toBeDefined()
  if (documented?.schema) {
    const checked = v.safeParse(documented.schema, answer.body)
    expect(checked.issues?.map((issue) => issue.message) ?? [], `${method} ${path}`).toEqual([])
  }
}

describe('the OpenAPI document', () => {
  it('documents every route the app mounts, and only those', () => {
    const documented = operations.map((op) => `${op.method} ${openApiPath(op.path)}`)
    expect(new Set(documented).size).toBe(documented.length)
    expect([...mountedRoutes()].sort()).toEqual([...documented].sort())
  })

  it('is valid OpenAPI 3.1 to a real validator', async () => {
    const served = await relay.request('/v1/openapi.json')
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toMatch(/^application\/json/)
    expect(served.body.openapi).toBe('3.1.0')
    await expect(SwaggerParser.validate(structuredClone(served.body))).resolves.toBeTruthy()
    // The validator must be able to fail: a parameter must say where it goes.
    const broken = structuredClone(served.body)
    delete broken.paths['/v1/projects/{pid}'].get.parameters[0].in
    await expect(SwaggerParser.validate(broken)).rejects.toThrow()
  })

  it('has request and response schemas, security and the error shape on every operation', () => {
    const paths = openApiDocument('0').paths as Record<string, Record<string, DocumentedOperation>>
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${path}`
        expect(operation.security, where).toBeDefined()
        expect(operation.responses.default?.$ref, where).toBe('#/components/responses/Error')
        const ok = Object.keys(operation.responses).filter((status) => /^2/.test(status))
        expect(ok.length, where).toBeGreaterThan(0)
        if (['post', 'put', 'patch'].includes(method) && !/rotate-secret|test|resume|pause|redeliver/.test(path))
          expect(operation.requestBody, where).toBeDefined()
      }
    }
    expect(paths['/v1/projects/{pid}/webhooks']?.post?.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      required: ['name', 'url', 'events'],
      additionalProperties: false,
    })
  })

  it('is committed as docs/openapi.json, current', () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8'),
    )
    expect(committed, 'run `npm run build` to write docs/openapi.json').toEqual(openApiDocument(packageJson.version))
  })

  it('describes what the routes answer', async () => {
    const base = '/v1/projects/:pid'
    const created = await relay.admin('POST', '/v1/projects', { name: 'Shop', allowedOrigins: ['https://a.example'] })
    conforms('post', '/v1/projects', created)
    const pid: string = created.body.project.id
    const at = (path: string) => path.replace(':pid', pid)
    conforms('get', '/v1/projects', await relay.admin('GET', '/v1/projects'))
    conforms('get', base, await relay.admin('GET', at(base)))
    conforms('patch', base, await relay.admin('PATCH', at(base), { name: 'Shop 2' }))
    const config = { events: [{ name: 'add-to-cart', trigger: { tap: '#add' } }], variables: { plan: 'free' } }
    conforms('put', `${base}/config`, await relay.admin('PUT', at(`${base}/config`), config))
    conforms('get', `${base}/config`, await relay.admin('GET', at(`${base}/config`)))
    const hook = await relay.admin('POST', at(`${base}/webhooks`), {
      name: 'CRM',
      url: 'http://127.0.0.1:9/hook',
      events: ['*'],
      response: { set: { orderStatus: '$.status' } },
    })
    conforms('post', `${base}/webhooks`, hook)
    const wid: string = hook.body.webhook.id
    const hookPath = (path: string) => at(path).replace(':wid', wid)
    conforms('get', `${base}/webhooks`, await relay.admin('GET', at(`${base}/webhooks`)))
    conforms('get', `${base}/webhooks/:wid`, await relay.admin('GET', hookPath(`${base}/webhooks/:wid`)))
    conforms(
      'patch',
      `${base}/webhooks/:wid`,
      await relay.admin('PATCH', hookPath(`${base}/webhooks/:wid`), { enabled: false }),
    )
    conforms(
      'post',
      `${base}/webhooks/:wid/resume`,
      await relay.admin('POST', hookPath(`${base}/webhooks/:wid/resume`)),
    )
    conforms(
      'post',
      `${base}/webhooks/:wid/rotate-secret`,
      await relay.admin('POST', hookPath(`${base}/webhooks/:wid/rotate-secret`)),
    )
    const deliveries = `${base}/webhooks/:wid/deliveries`
    conforms('get', deliveries, await relay.admin('GET', hookPath(deliveries)))
    conforms('get', `${base}/events`, await relay.admin('GET', at(`${base}/events`)))
    conforms('get', `${base}/stats`, await relay.admin('GET', at(`${base}/stats?window=1h`)))
    const listener = await relay.admin('POST', at(`${base}/listeners`), { name: 'orders', set: { s: '$.s' } })
    conforms('post', `${base}/listeners`, listener)
    const lid: string = listener.body.listener.id
    conforms('get', `${base}/listeners`, await relay.admin('GET', at(`${base}/listeners`)))
    conforms(
      'patch',
      `${base}/listeners/:lid`,
      await relay.admin('PATCH', at(`${base}/listeners/${lid}`), { verify: false }),
    )
    const key: string = created.body.keys.test
    conforms('get', '/v1/config', await relay.request('/v1/config', { headers: { authorization: `Bearer ${key}` } }))
    conforms('get', '/healthz', await relay.request('/healthz'))
    // The error shape, on a bad body.
    const bad = await relay.admin('POST', at(`${base}/webhooks`), { name: 'x' })
    expect(bad.status).toBe(400)
    expect(
      v.safeParse(
        v.strictObject({ error: v.object({ code: v.string(), message: v.string(), details: v.any() }) }),
        bad.body,
      ).success,
    ).toBe(true)
    conforms('delete', `${base}/listeners/:lid`, await relay.admin('DELETE', at(`${base}/listeners/${lid}`)))
    conforms('delete', `${base}/webhooks/:wid`, await relay.admin('DELETE', hookPath(`${base}/webhooks/:wid`)))
    conforms('delete', base, await relay.admin('DELETE', at(base)))
  })
})
