import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestRelay, type InProcessRelay } from '../testing.ts'

let relay: InProcessRelay
let keys: { test: string; live: string }
beforeAll(async () => {
  relay = await createTestRelay()
  ;({ keys } = await relay.createProject())
})
afterAll(async () => {
  await relay.close()
})

const claim = (key: string, body: unknown) =>
  relay.request('/v1/sessions', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('POST /v1/sessions', () => {
  it('mints a session and a 256-bit token, stored only as a hash', async () => {
    const res = await claim(keys.test, {})
    expect(res.status).toBe(201)
    expect(res.body.id).toMatch(/^ses_[0-9A-Z]{26}$/)
    expect(res.body.token).toMatch(/^hlst_[A-Za-z0-9_-]{43}$/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const rows = await relay.context.db.selectFrom('sessions').selectAll().where('id', '=', res.body.id).execute()
    expect(rows).toMatchObject([{ environment: 'test' }])
    expect(JSON.stringify(rows)).not.toContain(res.body.token.slice(5))
  })

  it('binds a chosen id on its first claim; the same id again is 409, from either environment', async () => {
    expect((await claim(keys.test, { id: 'ses_user123' })).status).toBe(201)
    const again = await claim(keys.test, { id: 'ses_user123' })
    expect([again.status, again.body.error.code]).toEqual([409, 'session_taken'])
    expect((await claim(keys.live, { id: 'ses_user123' })).status).toBe(409)
  })

  it('refuses a bad id, a bad body and a missing key', async () => {
    expect((await claim(keys.test, { id: 'user123' })).body.error.code).toBe('invalid_input')
    expect((await claim(keys.test, [])).status).toBe(400)
    const noKey = await relay.request('/v1/sessions', { method: 'POST', body: '{}' })
    expect(noKey.status).toBe(401)
  })
})
