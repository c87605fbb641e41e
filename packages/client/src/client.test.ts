import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type RunningRelay } from '@hookline/relay'
import { createClient, HooklineApiError } from './index.ts'

// Against a real relay over real HTTP on 127.0.0.1.
let relay: RunningRelay
let dataDir: string
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hookline-client-'))
  relay = await startRelay({ port: 0, dataDir, dev: true, log: false, adminToken: 'client-test-token-0123456789' })
})
afterAll(async () => {
  await relay.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const client = () => createClient({ baseUrl: relay.url, token: relay.adminToken, timeoutMs: 5000 })

describe('createClient', () => {
  it('walks every resource with the project id first', async () => {
    const hookline = client()
    const { project, keys } = await hookline.projects.create({ name: 'Shop' })
    expect(keys.test).toMatch(/^pk_test_/)
    expect((await hookline.projects.list()).projects.map((p) => p.id)).toContain(project.id)
    expect((await hookline.projects.update(project.id, { name: 'Shop 2' })).project.name).toBe('Shop 2')
    expect((await hookline.projects.get(project.id)).project.name).toBe('Shop 2')
    const rotatedKey = await hookline.projects.rotateKey(project.id, { environment: 'test', graceSeconds: 60 })
    expect(rotatedKey.key).toMatch(/^pk_test_/)
    expect(rotatedKey.key).not.toBe(keys.test)

    const { webhook, secret } = await hookline.webhooks.create(project.id, {
      name: 'CRM',
      url: 'http://127.0.0.1:9/hook',
      events: ['*'],
    })
    expect(secret).toMatch(/^whsec_/)
    expect((await hookline.webhooks.list(project.id)).webhooks).toHaveLength(1)
    expect((await hookline.webhooks.get(project.id, webhook.id)).webhook.url).toBe('http://127.0.0.1:9/hook')
    expect((await hookline.webhooks.update(project.id, webhook.id, { enabled: false })).webhook.status).toBe('disabled')
    expect((await hookline.webhooks.resume(project.id, webhook.id)).webhook.id).toBe(webhook.id)
    expect((await hookline.webhooks.pause(project.id, webhook.id)).webhook).toMatchObject({
      status: 'paused',
      pausedBy: 'hand',
    })
    expect((await hookline.webhooks.resume(project.id, webhook.id)).webhook.status).toBe('active')
    const replayed = await hookline.webhooks.replay(project.id, webhook.id, { since: '2026-01-01T00:00:00Z' })
    expect(replayed).toMatchObject({ queued: 0, more: false })
    await expect(
      hookline.webhooks.replay(project.id, webhook.id, {
        since: '2026-02-01T00:00:00Z',
        until: '2026-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_range' })
    const rotated = await hookline.webhooks.rotateSecret(project.id, webhook.id)
    expect(rotated.secret).not.toBe(secret)
    const { delivery } = await hookline.webhooks.test(project.id, webhook.id)
    expect(delivery.kind).toBe('test')
    expect((await hookline.deliveries.list(project.id, webhook.id, { limit: 10 })).deliveries[0]?.id).toBe(delivery.id)
    expect((await hookline.deliveries.get(project.id, webhook.id, delivery.id)).delivery.attempts.length).toBe(1)
    await expect(hookline.deliveries.redeliver(project.id, webhook.id, delivery.id)).rejects.toMatchObject({
      status: 409,
      code: 'cannot_redeliver_test',
    })
    expect((await hookline.webhooks.test(project.id, webhook.id, { plain: true })).delivery.kind).toBe('test')

    const config = { events: [{ name: 'add-to-cart', trigger: { tap: '#add' } }], variables: { plan: 'free' } }
    expect((await hookline.config.put(project.id, config)).config).toEqual(config)
    expect((await hookline.config.get(project.id)).config).toEqual(config)
    expect((await hookline.events.list(project.id, { limit: 5 })).nextCursor).toBeNull()
    expect((await hookline.stats.get(project.id, { window: '1h' })).window).toBe('1h')

    const created = await hookline.listeners.create(project.id, { name: 'orders', set: { status: '$.status' } })
    expect(created.listener.url).toBe(`/v1/inbound/${created.listener.id}`)
    expect((await hookline.listeners.list(project.id)).listeners).toHaveLength(1)
    expect((await hookline.listeners.update(project.id, created.listener.id, { verify: false })).listener.verify).toBe(
      false,
    )
    expect((await hookline.listeners.get(project.id, created.listener.id)).listener.name).toBe('orders')
    await hookline.listeners.delete(project.id, created.listener.id)
    expect(await hookline.erasure.session(project.id, 'ses_nobody')).toEqual({
      erased: { events: 0, deliveriesCancelled: 0, attempts: 0, frames: 0 },
    })
    expect((await hookline.erasure.user(project.id, 'usr_nobody')).erased.events).toBe(0)
    await hookline.webhooks.delete(project.id, webhook.id)
    await hookline.projects.delete(project.id)
    await expect(hookline.projects.get(project.id)).rejects.toMatchObject({ status: 404, code: 'project_not_found' })
  })

  it('throws HooklineApiError with the status, the code and the relay sentence', async () => {
    const hookline = client()
    const { project } = await hookline.projects.create({ name: 'Errors' })
    const error: unknown = await hookline.webhooks
      .create(project.id, { name: 'x', url: 'not a url', events: [] })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(HooklineApiError)
    const apiError = error as HooklineApiError
    expect(apiError.name).toBe('HooklineApiError')
    expect(apiError.status).toBe(400)
    expect(apiError.code).toBe('invalid_input')
    expect(apiError.message).toMatch(/^The webhook is not valid: url: /)
    expect(apiError.details).toMatchObject({ problems: expect.any(Array) })
    expect(apiError.cause).toMatchObject({ status: 400, ok: false })
    await expect(hookline.webhooks.get(project.id, 'wh_missing')).rejects.toMatchObject({ status: 404 })
    await expect(
      createClient({ baseUrl: relay.url, token: 'wrong-token-0123456789' }).projects.list(),
    ).rejects.toMatchObject({ status: 401, code: 'unauthorized' })
  })

  it('retries idempotent calls only, and says when nothing answered', async () => {
    let calls = 0
    const flaky = createServer((req, res) => {
      calls++
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' })
      res.end('{"error":{"code":"unavailable","message":"Try again."}}')
    })
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve))
    const baseUrl = `http://127.0.0.1:${String((flaky.address() as AddressInfo).port)}`
    try {
      const hookline = createClient({ baseUrl, token: 't', retries: 2 })
      await expect(hookline.projects.list()).rejects.toMatchObject({ status: 503, code: 'unavailable' })
      expect(calls).toBe(3)
      calls = 0
      await expect(hookline.projects.create({ name: 'x' })).rejects.toMatchObject({ status: 503 })
      expect(calls).toBe(1)
      calls = 0
      await expect(hookline.projects.update('prj_x', { name: 'x' })).rejects.toMatchObject({ status: 503 })
      expect(calls).toBe(1)
    } finally {
      await new Promise((resolve) => flaky.close(resolve))
    }
    const silent = createServer(() => {
      // Never answers.
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const port = String((silent.address() as AddressInfo).port)
      const hookline = createClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200, retries: 0 })
      await expect(hookline.projects.list()).rejects.toMatchObject({ status: 0, code: 'timeout' })
    } finally {
      silent.closeAllConnections()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})
