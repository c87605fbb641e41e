import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
      listener: { id: 'lst_1', secret: 'whsec_x' },
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
