import { spawnSync } from 'node:child_process'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestRelay, type InProcessRelay } from '../testing.ts'

const METRICS_TOKEN = 'metrics-scraper-token-0123456789'
let relay: InProcessRelay
beforeAll(async () => {
  relay = await createTestRelay({ metrics: { token: METRICS_TOKEN } })
})
afterAll(() => relay.close())

const promtool = spawnSync('promtool', ['--version']).status === 0
const scrape = (token = relay.adminToken) =>
  relay.request('/metrics', { headers: { authorization: `Bearer ${token}` } })

describe('/metrics', () => {
  it('names no gauge like a counter', async () => {
    const text = (await scrape()).body as string
    expect(text).toMatch(/^# TYPE hookline_nodejs_active_handles gauge$/m)
    const gauges = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map(([, name]) => name)
    expect(gauges.filter((name) => name?.endsWith('_total'))).toEqual([])
  })

  // promtool comes with Debian's prometheus package; .ci/run installs it.
  it.runIf(promtool)('passes promtool check metrics', async () => {
    const text = (await scrape()).body as string
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
    expect(checked.stdout + checked.stderr).toBe('')
    expect(checked.status).toBe(0)
  })

  // Issue 10: the series name project and webhook ids, and anyone could read them.
  it('needs the admin token or HOOKLINE_METRICS_TOKEN: anything else is a JSON 401 that says how', async () => {
    const none = await relay.request('/metrics')
    expect(none.status).toBe(401)
    expect(none.headers.get('content-type')).toContain('application/json')
    expect(none.body).toMatchObject({ error: { code: 'unauthorized' } })
    expect((none.body as { error: { message: string } }).error.message).toMatch(
      /needs the admin token or HOOKLINE_METRICS_TOKEN.*HOOKLINE_METRICS_PUBLIC=1/,
    )
    const wrong = await scrape('not-the-token-0123456789')
    expect(wrong.status).toBe(401)
    expect(JSON.stringify(wrong.body)).not.toContain('hookline_')
    expect((await scrape()).status).toBe(200)
    expect((await scrape(METRICS_TOKEN)).status).toBe(200)
  })

  it('lets no other Authorization header through, and never fails on one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ maxLength: 60 }).map((text) => `Bearer ${text}`),
          fc.constantFrom(`Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(1)}`, `Basic ${METRICS_TOKEN}`),
        ),
        async (authorization) => {
          fc.pre(authorization.trim() !== `Bearer ${METRICS_TOKEN}` && !authorization.includes(relay.adminToken))
          const res = await relay.request('/metrics', { headers: { authorization } }).catch(() => null)
          // A header fetch itself refuses (control characters) never reaches the relay.
          if (res) expect(res.status).toBe(401)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('gives the metrics token nothing of the admin API', async () => {
    const res = await relay.request('/v1/projects', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(res.status).toBe(401)
  })

  it('serves anyone when made public (HOOKLINE_METRICS_PUBLIC=1)', async () => {
    const open = await createTestRelay({ metrics: { public: true } })
    try {
      const res = await open.request('/metrics')
      expect(res.status).toBe(200)
      expect(res.body).toContain('hookline_')
    } finally {
      await open.close()
    }
  })
})
