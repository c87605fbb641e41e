import { generateSecret, verify } from '@hookline/protocol'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillPrototype, seedDemo, startDemoServer, startFulfillment } from '@hookline/demo/server'
import { startRelay } from '@hookline/relay'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'

const seededSecret = generateSecret()

// The demo's own servers, without a browser: the mock fulfillment service's answers and signed
// callbacks, and the guard on the demo server's admin proxy.
describe('the mock fulfillment service', () => {
  it('answers a test event, and an order with pending, then reports confirmed and shipped, signed', async () => {
    const listener = await startEndpoint({ status: 202 })
    const secret = generateSecret()
    const mock = await startFulfillment({ stepMs: 30, inbound: { url: `${listener.url}/v1/inbound/lst_x`, secret } })
    try {
      const test = await fetch(mock.ordersUrl, { method: 'POST', body: JSON.stringify({ type: 'webhook.test' }) })
      expect(await test.json()).toMatchObject({ ok: true })

      const order = await fetch(mock.ordersUrl, {
        method: 'POST',
        body: JSON.stringify({ type: 'checkout-completed', session: { id: 'ses_abc' } }),
      })
      expect(await order.json()).toMatchObject({ status: 'pending', received: 'checkout-completed' })
      const calls = await listener.waitFor(2, 5000)
      expect(calls.map((call) => JSON.parse(call.body).order.status)).toEqual(['confirmed', 'shipped'])
      for (const call of calls) {
        expect(JSON.parse(call.body).session).toBe('ses_abc')
        expect((await verify(secret, call.headers, call.body)).ok).toBe(true)
      }
    } finally {
      await mock.close()
      await listener.close()
    }
  })

  it('fails on request, for trying retries and pausing', async () => {
    const mock = await startFulfillment()
    const answer = await fetch(`${mock.ordersUrl}?fail=503`, { method: 'POST', body: '{}' })
    expect(answer.status).toBe(503)
    expect(await answer.json()).toMatchObject({ error: expect.stringContaining('503') })
    await mock.close()
  })

  it('calls nobody back for an order without a session', async () => {
    const listener = await startEndpoint({ status: 202 })
    const mock = await startFulfillment({ stepMs: 10, inbound: { url: listener.url, secret: generateSecret() } })
    await fetch(mock.ordersUrl, { method: 'POST', body: JSON.stringify({ type: 'checkout-completed' }) })
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(listener.requests).toHaveLength(0)
    await mock.close()
    await listener.close()
  })
})

describe('the demo server', () => {
  let relay: TestEndpoint
  let demo: Awaited<ReturnType<typeof startDemoServer>>
  let root: string

  beforeAll(async () => {
    relay = await startEndpoint({ status: 200, body: { ok: true } })
    root = mkdtempSync(join(tmpdir(), 'hookline-demo-root-'))
    mkdirSync(join(root, 'prototype'))
    writeFileSync(join(root, 'index.html'), '<title>dashboard</title>')
    writeFileSync(
      join(root, 'prototype/index.html'),
      '<script src="/hookline.js" data-relay="%HOOKLINE_RELAY%" data-key="%HOOKLINE_KEY%"></script>',
    )
    demo = await startDemoServer({
      root,
      scripts: {},
      adminToken: 'hl_admin_secret_token_123',
      listener: { id: 'lst_1', secret: seededSecret },
      config: {
        relayUrl: relay.url,
        projectId: 'prj_1',
        testKey: 'pk_test_1',
        listener: { id: 'lst_1' },
        mockUrl: 'http://127.0.0.1:1/orders',
      },
    })
  })
  afterAll(async () => {
    await demo.close()
    await relay.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('fills the prototype script tag with the relay and the key', async () => {
    const html = await (await fetch(`${demo.url}/prototype/`)).text()
    expect(html).toContain(`data-relay="${relay.url}" data-key="pk_test_1"`)
    expect(fillPrototype('%HOOKLINE_KEY%', { relayUrl: '', testKey: 'k' })).toBe('k')
  })

  it('keeps the admin token and every secret out of the config it hands the dashboard', async () => {
    const text = await (
      await fetch(`${demo.url}/demo-config.json`, { headers: { cookie: await session(demo.openUrl) } })
    ).text()
    expect(JSON.parse(text)).toMatchObject({ projectId: 'prj_1', listener: { id: 'lst_1' } })
    expect(text).not.toContain('hl_admin_secret_token_123')
    expect(text).not.toContain('whsec_')
  })

  it('proxies the dashboard to the relay with the admin token added', async () => {
    const answer = await fetch(`${demo.url}/api/v1/projects/prj_1/webhooks?limit=5`, {
      headers: { cookie: await session(demo.openUrl) },
    })
    expect(answer.status).toBe(200)
    const [seen] = relay.requests.slice(-1)
    expect(seen).toMatchObject({ method: 'GET', path: '/v1/projects/prj_1/webhooks?limit=5' })
    expect(seen!.headers.authorization).toBe('Bearer hl_admin_secret_token_123')
  })

  it('refuses the proxy to other sites, to other processes without the link, and to an old link', async () => {
    const cookie = await session(demo.openUrl)
    const before = relay.requests.length
    // What any local process could send before: the old marker header opens nothing now.
    expect((await fetch(`${demo.url}/api/v1/projects`, { headers: { 'x-hookline-demo': '1' } })).status).toBe(403)
    expect((await fetch(`${demo.url}/demo-config.json`)).status).toBe(403)
    const forged = await fetch(`${demo.url}/api/v1/projects`, { headers: { cookie: cookie.replace(/=.*/, '=guess') } })
    expect([forged.status, ((await forged.json()) as { error: { code: string } }).error.code]).toEqual([
      403,
      'demo_link_required',
    ])
    expect(
      (await fetch(`${demo.url}/api/v1/projects`, { headers: { cookie, origin: 'https://evil.example' } })).status,
    ).toBe(403)
    expect(
      (await fetch(`${demo.url}/api/v1/projects`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } })).status,
    ).toBe(403)
    // A change without an Origin is not the dashboard's (browsers always send one).
    expect(
      (await fetch(`${demo.url}/api/v1/projects`, { method: 'POST', headers: { cookie }, body: '{}' })).status,
    ).toBe(403)
    expect(await statusWithHost(`${demo.url}/api/v1/projects`, 'rebound.example:80', cookie)).toBe(403)
    expect((await fetch(`${demo.url}/?token=not-this-start`, { redirect: 'manual' })).status).toBe(403)
    expect(relay.requests.length).toBe(before)
  })

  it('sends the dashboard with a CSP, never to be framed', async () => {
    const page = await fetch(`${demo.url}/`)
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    const prototype = await fetch(`${demo.url}/prototype/`)
    expect(prototype.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
  })

  it("signs the seeded listener's samples itself, with the secret the browser never gets", async () => {
    const body = JSON.stringify({ status: 'shipped' })
    const origin = demo.url
    const answer = await fetch(`${demo.url}/demo/sample/lst_1`, {
      method: 'POST',
      headers: { cookie: await session(demo.openUrl), origin, 'content-type': 'application/json' },
      body,
    })
    expect(answer.status).toBe(200)
    const [seen] = relay.requests.slice(-1)
    expect(seen).toMatchObject({ method: 'POST', path: '/v1/inbound/lst_1', body })
    expect((await verify(seededSecret, seen!.headers, seen!.body)).ok).toBe(true)
    const other = await fetch(`${demo.url}/demo/sample/lst_other`, {
      method: 'POST',
      headers: { cookie: await session(demo.openUrl), origin },
      body,
    })
    expect(other.status).toBe(404)
  })
})

/** Opens the link the demo printed, as the browser does, and answers the cookie it got for it. */
async function session(openUrl: string): Promise<string> {
  const opened = await fetch(openUrl, { redirect: 'manual' })
  expect(opened.status).toBe(302)
  expect(opened.headers.get('location')).toBe('/')
  const cookie = opened.headers.get('set-cookie') ?? ''
  expect(cookie).toMatch(/HttpOnly/)
  expect(cookie).toMatch(/SameSite=Strict/)
  return cookie.split(';')[0]!
}

/** A request with a Host header of our choosing (fetch will not send one), as after DNS rebinding. */
function statusWithHost(url: string, host: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host, cookie } }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the demo seed', () => {
  it('makes the project once, then reuses it, remaking what was deleted and following the mock', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-seed-'))
    const relay = await startRelay({ port: 0, dataDir, dev: true, log: false })
    try {
      const options = {
        relayUrl: relay.url,
        adminToken: relay.adminToken,
        ordersUrl: 'http://127.0.0.1:9/orders',
        stateFile: join(dataDir, 'demo.json'),
      }
      const first = await seedDemo(options)
      const again = await seedDemo(options)
      expect(again).toEqual(first)

      const auth = { authorization: `Bearer ${relay.adminToken}` }
      const base = `${relay.url}/v1/projects/${first.projectId}`
      expect((await fetch(`${base}/listeners/${first.listenerId}`, { method: 'DELETE', headers: auth })).ok).toBe(true)
      const remade = await seedDemo({ ...options, ordersUrl: 'http://127.0.0.1:10/orders' })
      expect(remade.projectId).toBe(first.projectId)
      expect(remade.webhookId).toBe(first.webhookId)
      expect(remade.listenerId).not.toBe(first.listenerId)
      const { webhook } = (await (await fetch(`${base}/webhooks/${first.webhookId}`, { headers: auth })).json()) as {
        webhook: { url: string; response: unknown }
      }
      expect(webhook).toMatchObject({
        url: 'http://127.0.0.1:10/orders',
        response: { set: { orderStatus: '$.status' } },
      })
      const projects = (await (await fetch(`${relay.url}/v1/projects`, { headers: auth })).json()) as {
        projects: unknown[]
      }
      expect(projects.projects).toHaveLength(1)
    } finally {
      await relay.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
