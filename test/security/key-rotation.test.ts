import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresSchema } from '../helpers/postgres.ts'
import { startTestRelay, testEvent, type TestProject, type TestRelay } from '../helpers/relay.ts'
import { storeSnapshot } from '../helpers/store-snapshot.ts'

// Issue 10: a publishable key could not be replaced. `POST /v1/projects/:pid/keys/rotate` makes a
// new one; the old one keeps working for a grace period, then is refused, with the relay's key
// cache holding it no longer than that.

let relay: TestRelay
beforeAll(async () => {
  relay = await startTestRelay()
})
afterAll(() => relay.close())

const rotate = (projectId: string, body: unknown) => relay.admin('POST', `/v1/projects/${projectId}/keys/rotate`, body)
const config = async (key: string) =>
  (await relay.request('/v1/config', { headers: { authorization: `Bearer ${key}` } })).status
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('POST /v1/projects/:pid/keys/rotate', () => {
  let project: TestProject

  beforeAll(async () => {
    project = await relay.createProject()
  })

  it('answers a new key, shown once; both keys work during the grace period; the other environment is untouched', async () => {
    const before = Date.now()
    const res = await rotate(project.projectId, { environment: 'test' })
    expect(res.status).toBe(200)
    expect(res.body.environment).toBe('test')
    expect(res.body.key).toMatch(/^pk_test_[A-Za-z0-9_-]{16,}$/)
    expect(res.body.key).not.toBe(project.keys.test)
    const ends = Date.parse(res.body.previousKeyExpiresAt)
    expect(ends - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000)
    expect(ends - before).toBeLessThanOrEqual(24 * 3600_000 + 5000)

    expect(await config(res.body.key)).toBe(200)
    expect(await config(project.keys.test)).toBe(200)
    expect(await config(project.keys.live)).toBe(200)
    expect((await relay.ingest(res.body.key, [testEvent({ sessionId: 'ses_rotated_new_0001' })])).status).toBe(202)
    expect((await relay.ingest(project.keys.test, [testEvent({ sessionId: 'ses_rotated_old_0001' })])).status).toBe(202)
    // Only the new key's hash is stored.
    const keys = relay.context.db.selectFrom('keys').selectAll().where('project_id', '=', project.projectId)
    const rows = await keys.execute()
    expect(JSON.stringify(rows)).not.toContain(res.body.key)
    expect(rows).toHaveLength(3)
    project.keys.test = res.body.key
  })

  it('refuses the old key once its grace ends, even after the relay cached it', async () => {
    const res = await rotate(project.projectId, { environment: 'live', graceSeconds: 1 })
    expect(res.status).toBe(200)
    // Resolved (and cached) while it still works…
    expect(await config(project.keys.live)).toBe(200)
    await sleep(1200)
    // …and refused after, by the cached entry and by the store.
    expect(await config(project.keys.live)).toBe(401)
    relay.context.keys.invalidate()
    expect(await config(project.keys.live)).toBe(401)
    const events = await relay.ingest(project.keys.live, [testEvent({ sessionId: 'ses_rotated_late_0001' })])
    expect(events.status).toBe(401)
    expect(await config(res.body.key)).toBe(200)
    project.keys.live = res.body.key
  })

  it('keeps the earlier end of a key already on its way out; graceSeconds 0 ends every old key at once (a leak)', async () => {
    const first = await rotate(project.projectId, { environment: 'test', graceSeconds: 1 })
    const second = await rotate(project.projectId, { environment: 'test', graceSeconds: 3600 })
    expect(await config(first.body.key)).toBe(200)
    await sleep(1200)
    // `project.keys.test` was given 24 h by the first test, then 1 s: the earlier end stands.
    expect(await config(project.keys.test)).toBe(401)
    expect(await config(first.body.key)).toBe(200)
    const now = await rotate(project.projectId, { environment: 'test', graceSeconds: 0 })
    expect(await config(second.body.key)).toBe(401)
    expect(await config(now.body.key)).toBe(200)
    // `first` had an hour left; the leak's rotation ends it too.
    expect(await config(first.body.key)).toBe(401)
  })

  it('keeps a session claimed with the old key: its token streams and sends under the new key', async () => {
    const other = await relay.createProject()
    const claimed = await relay.claimSession(other.keys.test, 'ses_across_rotation_01')
    expect(claimed.status).toBe(201)
    const res = await rotate(other.projectId, { environment: 'test', graceSeconds: 0 })
    const body = JSON.stringify({
      sentAt: new Date().toISOString(),
      events: [testEvent({ sessionId: 'ses_across_rotation_01' })],
      sessionTokens: { ses_across_rotation_01: claimed.body.token },
    })
    const sent = await relay.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${res.body.key}`, 'content-type': 'application/json' },
      body,
    })
    expect(sent.status).toBe(202)
    expect(sent.body.rejected).toEqual([])
  })

  it('answers 404 for a project that is not there, and a sentence for a bad body, changing nothing', async () => {
    const before = storeSnapshot(relay.dataDir)
    const missing = await rotate('prj_nope', { environment: 'test' })
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('project_not_found')
    const bad = await rotate(project.projectId, { environment: 'staging' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toContain('"environment" must be "test" or "live"')
    const none = await relay.request(`/v1/projects/${project.projectId}/keys/rotate`, { method: 'POST' })
    expect(none.status).toBe(401)
    expect(storeSnapshot(relay.dataDir)).toBe(before)
  })

  it('never answers 5xx to any body, and changes nothing unless it answers 200', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.record(
            { environment: fc.oneof(fc.constantFrom('test', 'live'), fc.string()), graceSeconds: fc.anything() },
            { requiredKeys: [] },
          ),
        ),
        async (body) => {
          const before = storeSnapshot(relay.dataDir)
          const res = await relay.request(`/v1/projects/${project.projectId}/keys/rotate`, {
            method: 'POST',
            headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' },
            body: JSON.stringify(body === undefined ? null : body),
          })
          expect(res.status).toBeLessThan(500)
          if (res.status !== 200) {
            expect(res.status).toBe(400)
            expect(storeSnapshot(relay.dataDir)).toBe(before)
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('on PostgreSQL, across nodes', () => {
  const pgSchema = postgresSchema('key_rotation')
  afterAll(() => pgSchema.drop())

  it('a key ended on one node is refused by the other at once, though the other had it cached', async () => {
    const a = await startTestRelay({ databaseUrl: pgSchema.databaseUrl })
    const b = await startTestRelay({ databaseUrl: pgSchema.databaseUrl })
    try {
      const { projectId, keys } = await a.createProject()
      const onB = async (key: string) =>
        (await b.request('/v1/config', { headers: { authorization: `Bearer ${key}` } })).status
      expect(await onB(keys.test)).toBe(200)
      const res = await a.admin('POST', `/v1/projects/${projectId}/keys/rotate`, {
        environment: 'test',
        graceSeconds: 0,
      })
      expect(res.status).toBe(200)
      // The other node hears of it by NOTIFY; give it a moment.
      for (let i = 0; i < 50 && (await onB(keys.test)) !== 401; i++) await sleep(100)
      expect(await onB(keys.test)).toBe(401)
      expect(await onB(res.body.key)).toBe(200)
    } finally {
      await b.close()
      await a.close()
    }
  })
})
