import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { noFrames } from './stream/frames.ts'
import { createTestRelay, type InProcessRelay } from './testing.ts'

// Through `app.request()`: the whole app (auth, routes, errors), no socket.
let relay: InProcessRelay
beforeAll(async () => {
  relay = await createTestRelay()
})
afterAll(() => relay.close())

describe('relay skeleton', () => {
  test('healthz answers', async () => {
    const res = await relay.request('/healthz')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true })
  })

  test('unknown routes are a JSON 404', async () => {
    const res = await relay.request('/nope')
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  test('admin routes need the admin token', async () => {
    expect((await relay.request('/v1/projects')).status).toBe(401)
    const wrong = await relay.request('/v1/projects', { headers: { authorization: 'Bearer nope-nope-nope-nope' } })
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('unauthorized')
  })

  test('projects: create, list, get, patch, delete', async () => {
    const { projectId, keys } = await relay.createProject({ name: 'Shop' })
    expect(keys.test).toMatch(/^pk_test_/)
    expect(keys.live).toMatch(/^pk_live_/)
    expect((await relay.admin('GET', '/v1/projects')).body.projects.map((p: any) => p.id)).toContain(projectId)
    const patched = await relay.admin('PATCH', `/v1/projects/${projectId}`, {
      allowedOrigins: ['https://app.example.com'],
    })
    expect(patched.body.project.allowedOrigins).toEqual(['https://app.example.com'])
    expect((await relay.admin('GET', `/v1/projects/${projectId}`)).body.project.name).toBe('Shop')
    expect((await relay.admin('DELETE', `/v1/projects/${projectId}`)).status).toBe(204)
    expect((await relay.admin('GET', `/v1/projects/${projectId}`)).status).toBe(404)
  })

  test('bad admin bodies are clear 4xx', async () => {
    const noName = await relay.admin('POST', '/v1/projects', {})
    expect(noName.status).toBe(400)
    expect(noName.body.error.code).toBe('invalid_input')
    const badOrigin = await relay.admin('POST', '/v1/projects', { name: 'x', allowedOrigins: ['https://a.example/'] })
    expect(badOrigin.status).toBe(400)
    expect(badOrigin.body.error.message).toContain('origin')
    const notJson = await relay.request('/v1/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' },
      body: '{nope',
    })
    expect(notJson.status).toBe(400)
    expect(notJson.body.error.code).toBe('malformed_json')
    const wrongType = await relay.request('/v1/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'text/xml' },
      body: '<x/>',
    })
    expect(wrongType.status).toBe(415)
    const huge = await relay.request('/v1/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(300_000) }),
    })
    expect(huge.status).toBe(413)
  })
})

describe('ownership', () => {
  test('a webhook is reached only through its own project', async () => {
    const mine = await relay.createProject({ name: 'mine' })
    const other = await relay.createProject({ name: 'other' })
    const created = await relay.admin('POST', `/v1/projects/${mine.projectId}/webhooks`, {
      name: 'CRM',
      url: 'https://hooks.example.com/x',
      events: ['*'],
    })
    expect(created.status).toBe(201)
    const id = created.body.webhook.id
    expect((await relay.admin('GET', `/v1/projects/${mine.projectId}/webhooks/${id}`)).status).toBe(200)
    const across = await relay.admin('DELETE', `/v1/projects/${other.projectId}/webhooks/${id}`)
    expect(across.status).toBe(404)
    expect(across.body.error.code).toBe('webhook_not_found')
    const gone = await relay.admin('GET', `/v1/projects/prj_nope/webhooks/${id}/deliveries`)
    expect(gone.body.error.code).toBe('project_not_found')
    expect((await relay.admin('GET', `/v1/projects/${mine.projectId}/webhooks/${id}`)).status).toBe(200)
  })
})

describe('a relay given another frame sink', () => {
  test('has no hub, so the stream and inbound webhooks answer 503', async () => {
    const sinkOnly = await createTestRelay({ frames: noFrames })
    try {
      expect(sinkOnly.context.hub).toBeUndefined()
      const { projectId, keys } = await sinkOnly.createProject()
      const stream = await sinkOnly.request(`/v1/stream?session=ses_a&key=${keys.test}`)
      expect(stream.status).toBe(503)
      expect(stream.body.error.code).toBe('stream_unavailable')
      const listener = await sinkOnly.admin('POST', `/v1/projects/${projectId}/listeners`, {
        name: 'orders',
        set: { status: '$.status' },
        verify: false,
      })
      const inbound = await sinkOnly.request(listener.body.listener.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"status":"shipped"}',
      })
      expect(inbound.status).toBe(503)
    } finally {
      await sinkOnly.close()
    }
  })
})
