import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startDemoServer } from '@hookline/demo/server'

// No request kills the demo server (the finding: `GET /%E0%A4%A` threw outside its try and took
// `npm start`, the relay and the mock service with it).

const root = mkdtempSync(join(tmpdir(), 'hookline-demo-sec-'))
let demo: Awaited<ReturnType<typeof startDemoServer>>
beforeAll(async () => {
  mkdirSync(join(root, 'prototype'))
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>dashboard</title>')
  writeFileSync(join(root, 'prototype/index.html'), '<!doctype html>')
  demo = await startDemoServer({
    root,
    scripts: {},
    adminToken: 'hl_admin_secret_token_123',
    config: {
      relayUrl: 'http://127.0.0.1:1',
      projectId: 'prj_1',
      testKey: 'pk_test_1',
      listener: { id: 'lst_1' },
      mockUrl: 'http://127.0.0.1:1/orders',
    },
  })
})
afterAll(async () => {
  await demo.close()
  rmSync(root, { recursive: true, force: true })
})

const get = (path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(demo.url + path, { agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })

it('answers malformed paths with 400 and keeps serving', async () => {
  for (const path of ['/%E0%A4%A', '/%', '/api/%ZZ', '/prototype/%C0']) expect(await get(path)).toBe(400)
  expect(await get('/')).toBe(200)
})

/** Any request from another local process: made-up cookies, origins, hosts, fetch metadata, methods. */
const status = (path: string, method: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    const body = method === 'POST' || method === 'PATCH' ? '{}' : undefined
    const sized = body === undefined ? headers : { ...headers, 'content-length': String(body.length) }
    const req = request(demo.url + path, { method, headers: sized, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })

it('never lets a request without the printed link through to the relay or the config', async () => {
  const port = new URL(demo.url).port
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('/api/v1/projects', '/demo-config.json', '/demo/sample/lst_1', '/api/v1/projects/prj_1/keys'),
      fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
      fc.record(
        {
          cookie: fc.oneof(
            fc.string({ maxLength: 60 }),
            fc.string({ maxLength: 40 }).map((value) => `hookline_demo_${port}=${value}`),
          ),
          origin: fc.constantFrom(demo.url, 'https://evil.example', 'null', `http://localhost:${port}`),
          'x-hookline-demo': fc.constant('1'),
          'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'none'),
        },
        { requiredKeys: ['x-hookline-demo'] },
      ),
      async (path, method, headers) => {
        // The relay behind this demo server is unreachable: a request let through would be a 502.
        const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => /^[\x20-\x7e]*$/.test(v)))
        expect([403, 404]).toContain(await status(path, method, clean))
      },
    ),
    { numRuns: 150 },
  )
})
