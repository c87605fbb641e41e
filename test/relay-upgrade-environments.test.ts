import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { postgresSchema } from './helpers/postgres.ts'
import { startTestRelay, testEvent } from './helpers/relay.ts'
import { withPostgresStore, withSqliteStore, type StoreLocation, type StoreSql } from './helpers/store-sql.ts'

// A store from before 0065/0066 (listeners and frames without an environment, event ids unique per
// project) with deliveries pending, opened by this relay: 0066 rebuilds the events table, and every
// pending delivery is still sent once, with its own event's body; every event is still there.
const EVENTS = 200
let endpoint: TestEndpoint
const pgSchema = postgresSchema('relay_upgrade_env')

beforeAll(async () => {
  endpoint = await startEndpoint({ hang: true })
})
afterAll(async () => {
  await endpoint.close()
  await pgSchema.drop()
})

const COLUMNS = 'project_id, id, name, environment, session_id, ts, received_at, valid, body'
const BEFORE_0065 = [
  'ALTER TABLE deliveries DROP COLUMN event_environment',
  `CREATE TABLE events_old (project_id text NOT NULL, id text NOT NULL, name text NOT NULL,
     environment text NOT NULL, session_id text NOT NULL, ts text NOT NULL, received_at bigint NOT NULL,
     valid integer NOT NULL, body text NOT NULL, CONSTRAINT events_pk PRIMARY KEY (project_id, id))`,
  `INSERT INTO events_old (${COLUMNS}) SELECT ${COLUMNS} FROM events`,
  'DROP TABLE events',
  'ALTER TABLE events_old RENAME TO events',
  'CREATE INDEX events_received ON events (project_id, received_at)',
  'ALTER TABLE stream_frames DROP COLUMN environment',
  'ALTER TABLE listeners DROP COLUMN environment',
  "DELETE FROM kysely_migration WHERE name IN ('0065_environment_frames', '0066_events_per_environment')",
]

async function upgradeKeepsEverything(store: StoreLocation, run: () => StoreSql) {
  endpoint.respond({ hang: true })
  endpoint.requests.length = 0
  const first = await startTestRelay({ ...store, keepDataDir: true })
  const { projectId, keys } = await first.createProject()
  await first.createWebhook(projectId, { url: endpoint.url, timeoutMs: 30_000 })
  const events = Array.from({ length: EVENTS }, (_, i) => testEvent({ props: { n: i } }))
  for (let i = 0; i < EVENTS; i += 100)
    expect((await first.ingest(keys.test, events.slice(i, i + 100))).status).toBe(202)
  await first.close()

  const sql = run()
  for (const statement of BEFORE_0065) await sql(statement)

  endpoint.requests.length = 0
  endpoint.respond({ status: 200 })
  const second = await startTestRelay({ ...store, keepDataDir: true })
  try {
    await endpoint.waitFor((requests) => new Set(requests.map((r) => JSON.parse(r.body).id)).size >= EVENTS, 20_000)
    const propsOf = new Map(events.map((event) => [event.id, event.props]))
    for (const request of endpoint.requests) {
      const body = JSON.parse(request.body) as { id: string; data: unknown }
      expect(body.data).toEqual(propsOf.get(body.id))
    }
    const count = async (text: string) => Number((await sql(text))[0]!.count)
    expect(await count("SELECT count(*) AS count FROM events WHERE environment = 'test'")).toBe(EVENTS)
    expect(await count('SELECT count(*) AS count FROM deliveries WHERE event_environment IS NULL')).toBe(0)
    // The same ids are free in live now.
    const again = await second.ingest(keys.live, events.slice(0, 5))
    expect(again.body.accepted).toHaveLength(5)
  } finally {
    await second.close()
  }
}

describe('upgrading a store from before 0065 with deliveries under way', () => {
  test('SQLite', { timeout: 60_000 }, () => withSqliteStore(upgradeKeepsEverything))

  test('PostgreSQL', { timeout: 60_000 }, () => withPostgresStore(pgSchema.databaseUrl, upgradeKeepsEverything))
})
