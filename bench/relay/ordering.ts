// Ordering benchmark (not a test): `npx tsx bench/relay/ordering.ts` (ROUNDS=3 by default).
// What `ordering: "session"` costs next to unordered delivery, measured in the same run against the
// same relay (SQLite, in this process) and an endpoint that answers 200 at once, on 127.0.0.1:
//   spread  SESSIONS sessions × PER_SESSION events: time from the first ingest to the last arrival
//   lane    one session of LANE events: the same, where ordering sends one request at a time
// Rounds alternate unordered and ordered; medians and the ordered/unordered ratio are printed.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newId } from '@hookline/protocol'
import { startRelay } from '@hookline/relay'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const SESSIONS = 200
const PER_SESSION = 20
const LANE = 500
const ADMIN = 'bench-admin-token-0000000000'

let arrived = 0
let waiting: { count: number; resolve: () => void } | null = null
const endpoint = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.end()
    arrived++
    if (waiting && arrived >= waiting.count) waiting.resolve()
  })
})
await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve))
const endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`

const dataDir = mkdtempSync(join(tmpdir(), 'hookline-bench-ordering-'))
const relay = await startRelay({
  port: 0,
  host: '127.0.0.1',
  dev: true,
  log: false,
  dataDir,
  adminToken: ADMIN,
  rateLimit: { perSecond: 100_000, burst: 100_000 },
  eventRateLimit: { perSecond: 10_000_000, burst: 10_000_000 },
  connectRateLimit: { perSecond: 100_000, burst: 100_000 },
})

async function call(path: string, body: unknown, key = ADMIN): Promise<any> {
  const res = await fetch(relay.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** A fresh project with one webhook, and `sessions` claimed sessions with their events. */
async function setup(ordering: 'none' | 'session', sessions: number, perSession: number) {
  const { project, keys } = await call('/v1/projects', { name: `bench-${ordering}` })
  await call(`/v1/projects/${project.id}/webhooks`, { name: 'b', url: endpointUrl, events: ['*'], ordering })
  const start = Date.now() - 3_600_000
  const batches: { sessionTokens: Record<string, string>; events: unknown[] }[] = []
  for (let s = 0; s < sessions; s++) {
    const { id, token } = await call('/v1/sessions', {}, keys.test)
    const events = Array.from({ length: perSession }, (_, i) => ({
      id: newId('evt'),
      name: 'bench',
      ts: new Date(start + i).toISOString(),
      sessionId: id,
    }))
    // Up to 500 events a batch, several sessions each.
    let batch = batches.at(-1)
    if (!batch || batch.events.length + perSession > 500) batches.push((batch = { sessionTokens: {}, events: [] }))
    batch.sessionTokens[id] = token
    batch.events.push(...events)
  }
  return { key: keys.test as string, batches }
}

async function timeDelivery(ordering: 'none' | 'session', sessions: number, perSession: number): Promise<number> {
  const { key, batches } = await setup(ordering, sessions, perSession)
  const done = new Promise<void>((resolve) => (waiting = { count: arrived + sessions * perSession, resolve }))
  const started = performance.now()
  for (const batch of batches) await call('/v1/events', { sentAt: new Date().toISOString(), ...batch }, key)
  await done
  return performance.now() - started
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
for (const [name, sessions, perSession] of [
  ['spread', SESSIONS, PER_SESSION],
  ['lane', 1, LANE],
] as const) {
  const times = { none: [] as number[], session: [] as number[] }
  for (let round = 0; round < ROUNDS; round++)
    for (const ordering of ['none', 'session'] as const)
      times[ordering].push(await timeDelivery(ordering, sessions, perSession))
  const none = median(times.none)
  const ordered = median(times.session)
  const events = sessions * perSession
  console.log(
    `${name}: ${sessions} session(s) × ${perSession} events — unordered ${none.toFixed(0)} ms ` +
      `(${((events / none) * 1000).toFixed(0)} events/s), ordered ${ordered.toFixed(0)} ms ` +
      `(${((events / ordered) * 1000).toFixed(0)} events/s): ordered/unordered time ×${(ordered / none).toFixed(2)} ` +
      `(medians of ${ROUNDS})`,
  )
}
await relay.close()
endpoint.close()
rmSync(dataDir, { recursive: true, force: true })
