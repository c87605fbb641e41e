// PostgreSQL benchmark (not a test): `npx tsx bench/relay/postgres.ts` (ROUNDS=3, EVENTS=5000).
// Relay nodes, endpoint and load generator each in their own process, on 127.0.0.1, against the
// PostgreSQL of the tests (HOOKLINE_TEST_PG or postgres://127.0.0.1:5432/test), a fresh schema a round.
//   raw        requests/s of the load generator straight to the endpoint (the same-run baseline)
//   one node   events/s arriving at the endpoint from one relay node (ingest at full speed first)
//   two nodes  the same from two nodes sharing the schema (ingest split between them)
//   takeover   two nodes, one SIGKILLed mid-delivery: ms until no delivery is claimed by it, and
//              until every event has arrived
import type { ChildProcess } from 'node:child_process'
import { loadavg, cpus, userInfo } from 'node:os'
import pg from 'pg'
import { ask, child, children, median, projectWithWebhook, startRelay, waitForArrivals } from './harness.ts'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const EVENTS = Number(process.env.EVENTS ?? 5000)
/** PHASES=takeover (comma-separated of raw, one, two, takeover) runs only those; all by default. */
const PHASES = new Set((process.env.PHASES ?? 'raw,one,two,takeover').split(','))
const SERVER = process.env.HOOKLINE_TEST_PG ?? 'postgres://127.0.0.1:5432/test'
const schemas: string[] = []

// Nodes of one database share the master key that seals its secrets.
const startNode = (databaseUrl: string) =>
  startRelay([], { DATABASE_URL: databaseUrl, HOOKLINE_MASTER_KEY: 'YmVuY2gtbWFzdGVyLWtleS0wMTIzNDU2Nzg5YWJjZGU=' })

function client(schema?: string): pg.Client {
  const url = new URL(SERVER)
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username
  return new pg.Client({ connectionString: url.toString(), ...(schema ? { options: `-c search_path=${schema}` } : {}) })
}

function freshSchema(label: string): { schema: string; databaseUrl: string } {
  const schema = `bench_${label}_${process.pid}_${Date.now()}`
  schemas.push(schema)
  return { schema, databaseUrl: `${SERVER}?schema=${schema}` }
}

/** Events/s arriving from `nodes` relay nodes on one fresh schema; the nodes are stopped after. */
async function deliveryRate(nodes: number, endpoint: ChildProcess, load: ChildProcess, endpointUrl: string) {
  const { databaseUrl } = freshSchema(`n${nodes}`)
  const relays = []
  for (let i = 0; i < nodes; i++) relays.push(await startNode(databaseUrl))
  const project = await projectWithWebhook(relays[0]!.url, 'bench', endpointUrl)
  await ask(endpoint, { type: 'reset' }, 'reset')
  await Promise.all(
    relays.map((relay) =>
      ask(load, {
        type: 'ingest',
        url: relay.url,
        key: project.keys.test,
        batches: EVENTS / 100 / nodes,
        size: 100,
        concurrency: 4,
      }),
    ),
  )
  const report = await waitForArrivals(endpoint, EVENTS, 180_000)
  for (const relay of relays) relay.proc.kill('SIGKILL')
  return (report.count / (report.last - report.first)) * 1000
}

/** Two nodes, one SIGKILLed once a fifth of the events arrived: ms to retake its claims and to finish. */
async function takeover(endpoint: ChildProcess, load: ChildProcess, endpointUrl: string) {
  const { schema, databaseUrl } = freshSchema('kill')
  const a = await startNode(databaseUrl)
  const b = await startNode(databaseUrl)
  const project = await projectWithWebhook(a.url, 'bench', endpointUrl)
  await ask(endpoint, { type: 'reset' }, 'reset')
  const db = client(schema)
  await db.connect()
  try {
    const ingested: { accepted: number; duplicates: number; fannedOut: number }[] = []
    for (const relay of [a, b])
      ingested.push(
        await ask(load, {
          type: 'ingest',
          url: relay.url,
          key: project.keys.test,
          batches: EVENTS / 200,
          size: 100,
          concurrency: 4,
        }),
      )
    // Loud, not a silent short count: every event accepted once, each promised one delivery (one webhook).
    const accepted = ingested.reduce((sum, r) => sum + r.accepted, 0)
    const promised = ingested.reduce((sum, r) => sum + r.fannedOut, 0)
    const duplicates = ingested.reduce((sum, r) => sum + r.duplicates, 0)
    if (accepted !== EVENTS || promised !== EVENTS)
      throw new Error(
        `takeover: ${accepted} of ${EVENTS} events accepted (${duplicates} duplicates), ${promised} deliveries promised by the 202s`,
      )
    await waitForArrivals(endpoint, EVENTS / 5, 60_000)
    const [node] = (await db.query('SELECT id FROM relay_nodes WHERE pid = $1', [b.proc.pid])).rows
    const killedAt = Date.now()
    b.proc.kill('SIGKILL')
    await new Promise((resolve) => b.proc.once('exit', resolve))
    const held = Number(
      (await db.query('SELECT count(*) FROM delivery_queue WHERE claimed_by = $1', [node.id])).rows[0].count,
    )
    let retakenMs = NaN
    while (Number.isNaN(retakenMs) && Date.now() - killedAt < 60_000) {
      const left = (await db.query('SELECT count(*) FROM delivery_queue WHERE claimed_by = $1', [node.id])).rows[0]
      if (Number(left.count) === 0) retakenMs = Date.now() - killedAt
      else await new Promise((resolve) => setTimeout(resolve, 50))
    }
    // Some events the dead node had sent arrive twice (at least once): every one, repeats not counted.
    const report = await waitForArrivals(endpoint, EVENTS, 60_000, 'distinct').catch(async (error: unknown) => {
      // What is left, to tell a lost delivery from a slow one.
      const queue = await db.query('SELECT claimed_by, count(*) FROM delivery_queue GROUP BY 1')
      const statuses = await db.query('SELECT status, count(*) FROM deliveries GROUP BY 1')
      const nodes = await db.query(
        'SELECT id, pid, lease_until - (extract(epoch from clock_timestamp()) * 1000)::bigint AS left_ms FROM relay_nodes',
      )
      const webhooks = await db.query('SELECT status, status_reason FROM webhooks')
      const tally = await db.query(
        `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM deliveries) AS deliveries,
                (SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)) AS bare,
                (SELECT count(*) FROM delivery_queue) AS queued`,
      )
      console.error('takeover tally in PostgreSQL', JSON.stringify(tally.rows))
      console.error(
        JSON.stringify({ queue: queue.rows, statuses: statuses.rows, nodes: nodes.rows, webhooks: webhooks.rows }),
      )
      throw error
    })
    const stored = (
      await db.query('SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM deliveries) AS deliveries')
    ).rows[0]
    if (Number(stored.events) !== EVENTS || Number(stored.deliveries) !== EVENTS)
      throw new Error(
        `takeover: stored ${stored.events} events and ${stored.deliveries} deliveries for ${EVENTS} × 1 webhook`,
      )
    return {
      held,
      retakenMs,
      finishedMs: performance.timeOrigin + performance.now() - killedAt,
      extra: report.count - report.distinct,
    }
  } finally {
    await db.end()
    a.proc.kill('SIGKILL')
  }
}

async function main() {
  const [{ process: endpoint, ready }, { process: load }] = await Promise.all([child('endpoint.ts'), child('load.ts')])
  const endpointUrl = `http://127.0.0.1:${ready.port}/hook`
  const rounds: { raw: number; one: number; two: number; retaken: number; finished: number; held: number }[] = []
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (${cpus().length} cores)`,
  )
  for (let round = 1; round <= ROUNDS; round++) {
    await ask(endpoint, { type: 'reset' }, 'reset')
    const raw = PHASES.has('raw')
      ? await ask(load, { type: 'raw', url: endpointUrl, count: EVENTS, concurrency: 64 })
      : { count: NaN, ms: 1 }
    const rawRate = (raw.count / raw.ms) * 1000
    const one = PHASES.has('one') ? await deliveryRate(1, endpoint, load, endpointUrl) : NaN
    const two = PHASES.has('two') ? await deliveryRate(2, endpoint, load, endpointUrl) : NaN
    const kill = PHASES.has('takeover')
      ? await takeover(endpoint, load, endpointUrl)
      : { held: NaN, retakenMs: NaN, finishedMs: NaN, extra: NaN }
    rounds.push({ raw: rawRate, one, two, retaken: kill.retakenMs, finished: kill.finishedMs, held: kill.held })
    console.log(
      `round ${round}: raw ${rawRate.toFixed(0)} req/s · one node ${one.toFixed(0)} ev/s (${((one / rawRate) * 100).toFixed(0)}%) · ` +
        `two nodes ${two.toFixed(0)} ev/s (${((two / rawRate) * 100).toFixed(0)}%, ×${(two / one).toFixed(2)}) · ` +
        `takeover: ${kill.held} claims retaken ${kill.retakenMs} ms after SIGKILL, all arrived at ${kill.finishedMs.toFixed(0)} ms, ${kill.extra} sent twice · load ${loadavg()[0]!.toFixed(1)}`,
    )
  }
  const pick = (key: keyof (typeof rounds)[number]) => median(rounds.map((r) => r[key]))
  console.log(`\nPostgreSQL, median of ${ROUNDS} rounds, ${EVENTS} events a phase:`)
  console.log(`| figure | median |`)
  console.log(`|---|---|`)
  console.log(`| raw, requests/s straight to the endpoint | ${pick('raw').toFixed(0)} |`)
  console.log(
    `| one node, deliveries/s | ${pick('one').toFixed(0)} (${(median(rounds.map((r) => r.one / r.raw)) * 100).toFixed(0)}% of raw) |`,
  )
  console.log(
    `| two nodes, deliveries/s | ${pick('two').toFixed(0)} (×${median(rounds.map((r) => r.two / r.one)).toFixed(2)} one node) |`,
  )
  console.log(`| takeover after SIGKILL: claims retaken | ${pick('retaken').toFixed(0)} ms (${pick('held')} claims) |`)
  console.log(`| takeover after SIGKILL: every event arrived | ${pick('finished').toFixed(0)} ms |`)
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(async () => {
    for (const proc of children) proc.kill('SIGKILL')
    const db = client()
    await db.connect()
    for (const schema of schemas) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await db.end()
  })
