import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSecret } from '@hookline/protocol'
import { startTestRelay, type TestProject, type TestRelay } from './helpers/relay.ts'

let relay: TestRelay
let project: TestProject
const base = () => `/v1/projects/${project.projectId}/listeners`

beforeAll(async () => {
  relay = await startTestRelay()
  project = await relay.createProject()
})
afterAll(async () => {
  await relay.close()
})

describe('listeners admin API', () => {
  it('creates a listener and shows its secret once', async () => {
    const created = await relay.admin('POST', base(), {
      name: 'Orders',
      set: { orderStatus: '$.data.status' },
      target: { session: '$.data.session' },
    })
    expect(created.status).toBe(201)
    const { listener, secret } = created.body
    expect(isSecret(secret)).toBe(true)
    expect(listener).toMatchObject({
      name: 'Orders',
      url: `/v1/inbound/${listener.id}`,
      set: { orderStatus: '$.data.status' },
      target: { session: '$.data.session' },
      verify: true,
    })
    expect(listener.id).toMatch(/^lst_/)

    const one = await relay.admin('GET', `${base()}/${listener.id}`)
    expect(one.status).toBe(200)
    expect(JSON.stringify(one.body)).not.toContain(secret)
    const all = await relay.admin('GET', base())
    expect(all.body.listeners.map((item: { id: string }) => item.id)).toContain(listener.id)
    expect(JSON.stringify(all.body)).not.toContain('whsec_')
  })

  it('defaults to a verified broadcast, and changes and deletes', async () => {
    const { listener } = (await relay.admin('POST', base(), { name: 'News', set: { banner: '$.text' } })).body
    expect(listener).toMatchObject({ target: 'broadcast', verify: true })
    const patched = await relay.admin('PATCH', `${base()}/${listener.id}`, {
      verify: false,
      target: { session: '$.s' },
    })
    expect(patched.status).toBe(200)
    expect(patched.body.listener).toMatchObject({ name: 'News', verify: false, target: { session: '$.s' } })
    expect((await relay.admin('DELETE', `${base()}/${listener.id}`)).status).toBe(204)
    expect((await relay.admin('GET', `${base()}/${listener.id}`)).body.error.code).toBe('listener_not_found')
    const inbound = await relay.request(listener.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"x"}',
    })
    expect(inbound.status).toBe(404)
  })

  it('refuses invalid listeners with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ set: { a: '$.a' } }, 'name'],
      [{ name: 'x', set: {} }, 'set'],
      [{ name: 'x', set: { '1bad': '$.a' } }, 'set.1bad'],
      [{ name: 'x', set: { ok: 'status' } }, 'set.ok'],
      [{ name: 'x', set: { ok: '$.a' }, target: 'everyone' }, 'target'],
      [{ name: 'x', set: { ok: '$.a' }, verify: 'yes' }, 'verify'],
      [{ name: 'x', set: { ok: '$.a' }, secret: 'mine' }, 'secret'],
    ]
    for (const [body, field] of cases) {
      const res = await relay.admin('POST', base(), body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.details.problems[0].path).toBe(field)
    }
    expect((await relay.admin('PATCH', `${base()}/lst_missing`, { verify: true })).status).toBe(404)
  })

  it('keeps listeners behind the admin token and inside their project', async () => {
    expect((await relay.request(base())).status).toBe(401)
    const other = await relay.createProject({ name: 'other' })
    const { listener } = (await relay.admin('POST', base(), { name: 'Mine', set: { a: '$.a' } })).body
    expect((await relay.admin('GET', `/v1/projects/${other.projectId}/listeners/${listener.id}`)).status).toBe(404)
    expect(
      (await relay.admin('POST', '/v1/projects/prj_nope/listeners', { name: 'x', set: { a: '$.a' } })).body.error.code,
    ).toBe('project_not_found')
    // Deleting the project takes its listeners with it.
    expect((await relay.admin('DELETE', `/v1/projects/${project.projectId}`)).status).toBeLessThan(300)
    const inbound = await relay.request(listener.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    })
    expect(inbound.status).toBe(404)
  })
})
