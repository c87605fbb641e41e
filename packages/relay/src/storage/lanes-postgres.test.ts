import { randomBytes } from 'node:crypto'
import { userInfo } from 'node:os'
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { newId } from '@hookline/protocol'
import { openStorage } from './db.ts'
import { claimDue } from './delivery-queue.ts'
import { insertDeliveries } from './deliveries.ts'
import { laneKey } from './lanes.ts'
import { SecretBox } from './secret-box.ts'
import type { DeliveriesTable } from './schema.ts'
import type { Storage } from './types.ts'

// Two nodes claiming one PostgreSQL queue as fast as they can while events keep arriving that sort
// before whatever their lane holds (the case where a claim's snapshot can miss the other node's
// claim): at no moment may one lane have two deliveries claimed.
const SERVER = process.env.HOOKLINE_TEST_PG ?? 'postgres://127.0.0.1:5432/test'
const schema = `lanes_${process.pid}_${Date.now()}`
const url = new URL(SERVER)
if (!url.username) url.username = process.env.PGUSER ?? userInfo().username
const LANES = 6
const secrets = new SecretBox(randomBytes(32), 'a test key')
const WEBHOOK = 'wh_lanes-under-race'
let nodes: Storage[] = []
let client: pg.Client

beforeAll(async () => {
  const first = await openStorage({ dataDir: '', secrets, databaseUrl: `${SERVER}?schema=${schema}` })
  const second = await openStorage({ dataDir: '', secrets, databaseUrl: `${SERVER}?schema=${schema}` })
  nodes = [first, second]
  client = new pg.Client({ connectionString: url.toString(), options: `-c search_path=${schema}` })
  await client.connect()
  const now = Date.now()
  await first.db
    .insertInto('projects')
    .values({ id: 'prj_lanes', name: 'lanes', allowed_origins: '[]', config: '{}', created_at: now, updated_at: now })
    .execute()
  await first.db
    .insertInto('webhooks')
    .values({
      id: WEBHOOK,
      project_id: 'prj_lanes',
      name: 'lanes',
      url: 'http://127.0.0.1:9/',
      events: '["*"]',
      environment: 'test',
      template: null,
      timeout_ms: 1000,
      max_attempts: 1,
      schedule_ms: null,
      response: null,
      status: 'active',
      status_reason: null,
      consecutive_failures: 0,
      secret: 'unused',
      previous_secret: null,
      previous_secret_expires_at: null,
      filter: null,
      auto_resume: null,
      paused_by: null,
      next_probe_at: null,
      probe_step: 0,
      ordering: 'session',
      created_at: now,
      updated_at: now,
    })
    .execute()
})
// The nodes close first: their background work must not query a schema that is already gone.
afterAll(async () => {
  for (const node of nodes) await node.close()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
})

/** A delivery in lane `s` whose event time is `ms`. */
function delivery(s: number, ms: number): DeliveriesTable {
  const now = Date.now()
  const eventId = newId('evt')
  return {
    id: newId('dlv'),
    project_id: 'prj_lanes',
    webhook_id: WEBHOOK,
    event_id: eventId,
    msg_id: newId('msg'),
    kind: 'event',
    session_id: `ses_lane-${s}`,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
    event_received_at: now,
    finished_at: null,
    last_status: null,
    last_error: null,
    latency_ms: null,
    body: null,
    event_environment: 'test',
    lane_key: laneKey(new Date(ms).toISOString(), eventId),
    out_of_order: 0,
  }
}

test(
  'two nodes never hold two claims of one lane, even as earlier events keep arriving',
  { timeout: 60_000 },
  async () => {
    let stop = false
    let claims = 0
    const violations: string[] = []
    // The finishing deletes still to run, awaited before the test ends (the schema is dropped after it).
    const finishing: Promise<unknown>[] = []
    // Each new delivery sorts before everything already in its lane.
    let clock = Date.UTC(2030, 0, 1)
    const arrive = async () => {
      while (!stop) {
        await insertDeliveries(
          nodes[0]!.db,
          Array.from({ length: LANES }, (_, s) => delivery(s, clock--)),
        )
        await new Promise((resolve) => setTimeout(resolve, 3))
      }
    }
    const claim = async (storage: Storage, node: string) => {
      while (!stop) {
        const { claimed } = await claimDue(storage.db, 'postgres', {
          now: Date.now() + 1000,
          limit: 20,
          node,
          exclude: [],
          room: { byWebhook: new Map(), otherwise: 20 },
        })
        claims += claimed.length
        // Finish each a moment later, as an attempt would.
        for (const row of claimed)
          finishing.push(
            new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 6)).then(() =>
              storage.db.deleteFrom('delivery_queue').where('delivery_id', '=', row.id).execute(),
            ),
          )
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const watch = async () => {
      while (!stop) {
        const { rows } = await client.query<{ lane: string }>(
          'SELECT lane FROM delivery_queue WHERE claimed_by IS NOT NULL AND lane IS NOT NULL GROUP BY lane HAVING count(*) > 1',
        )
        violations.push(...rows.map((row) => row.lane))
      }
    }
    const running = [arrive(), claim(nodes[0]!, 'node-a'), claim(nodes[1]!, 'node-b'), watch()]
    await new Promise((resolve) => setTimeout(resolve, 4000))
    stop = true
    await Promise.all(running)
    await Promise.all(finishing)
    expect(claims).toBeGreaterThan(100)
    expect(violations).toEqual([])
  },
)
