import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { postgresSchema } from './helpers/postgres.ts'
import { startTestRelay, testEvent } from './helpers/relay.ts'
import { withPostgresStore, withSqliteStore, type StoreLocation, type StoreSql } from './helpers/store-sql.ts'

// A store written before the narrow queue (migrations up to 0069), with deliveries pending and
// others caught mid-send by a crash, opened by this relay: every one is delivered, with the
// webhook-id it was stored with. The old store is made the way the old relay left it: this
// relay's tables of 0070 on (and 0081's columns) are taken off and what they held put back in `deliveries`.
const EVENTS = 300
let endpoint: TestEndpoint
const pgSchema = postgresSchema('relay_upgrade')

beforeAll(async () => {
  endpoint = await startEndpoint({ hang: true })
})
afterAll(async () => {
  await endpoint.close()
  await pgSchema.drop()
})

const BEFORE_0070 = [
  // The old relay's lease column (0072 dropped it, with 0070's `claimed_by`, which 0070 adds again).
  'ALTER TABLE deliveries ADD COLUMN lease_until bigint',
  // In flight when the old relay died: `sending`, with a lease that ran out long ago.
  `UPDATE deliveries SET status = 'sending', lease_until = 1 WHERE id IN
     (SELECT delivery_id FROM delivery_queue WHERE claimed_by IS NOT NULL)`,
  'DROP TABLE delivery_queue',
  'DROP TABLE relay_nodes',
  'CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at, id)',
  "DELETE FROM kysely_migration WHERE name >= '0070' AND name < '0080'",
  // 0081 (session lanes) extends the queue 0071 makes: a store from before 0070 had neither.
  'ALTER TABLE deliveries DROP COLUMN lane_key',
  'ALTER TABLE deliveries DROP COLUMN out_of_order',
  'ALTER TABLE webhooks DROP COLUMN ordering',
  "DELETE FROM kysely_migration WHERE name = '0081_session_lanes'",
]

async function upgradeKeepsEveryDelivery(store: StoreLocation, run: () => StoreSql) {
  endpoint.respond({ hang: true })
  const first = await startTestRelay({ ...store, keepDataDir: true })
  const { projectId, keys } = await first.createProject()
  await first.createWebhook(projectId, { url: endpoint.url, timeoutMs: 30_000 })
  const events = Array.from({ length: EVENTS }, () => testEvent())
  for (let i = 0; i < EVENTS; i += 100)
    expect((await first.ingest(keys.test, events.slice(i, i + 100))).status).toBe(202)
  await endpoint.waitFor(10)
  await first.close()

  const sql = run()
  for (const statement of BEFORE_0070) await sql(statement)
  const stored = await sql("SELECT event_id, msg_id, status FROM deliveries WHERE kind = 'event'")
  expect(stored).toHaveLength(EVENTS)
  expect(stored.filter((row) => row.status === 'sending').length).toBeGreaterThan(0)
  expect(stored.filter((row) => row.status === 'pending').length).toBeGreaterThan(0)
  const messageOf = new Map(stored.map((row) => [row.event_id as string, row.msg_id as string]))

  endpoint.requests.length = 0
  endpoint.respond({ status: 200 })
  const second = await startTestRelay({ ...store, keepDataDir: true })
  try {
    await endpoint.waitFor((requests) => new Set(requests.map((r) => JSON.parse(r.body).id)).size >= EVENTS, 20_000)
    for (const request of endpoint.requests)
      expect(request.headers['webhook-id']).toBe(messageOf.get(JSON.parse(request.body).id as string))
    const count = async (text: string) => Number((await sql(text))[0]!.count)
    await expect
      .poll(() => count("SELECT count(*) AS count FROM deliveries WHERE status = 'succeeded'"), { timeout: 5000 })
      .toBe(EVENTS)
    expect(await count('SELECT count(*) AS count FROM delivery_queue')).toBe(0)
  } finally {
    await second.close()
  }
}

describe('upgrading a store from before 0070 with deliveries under way', () => {
  test('SQLite', { timeout: 60_000 }, () => withSqliteStore(upgradeKeepsEveryDelivery))

  test('PostgreSQL', { timeout: 60_000 }, () => withPostgresStore(pgSchema.databaseUrl, upgradeKeepsEveryDelivery))
})
