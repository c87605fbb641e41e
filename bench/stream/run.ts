/**
 * Stream benchmark: inbound webhook → `vars` frame received, with the relay, the load generator
 * and the stream clients in separate processes. `npx tsx bench/stream/run.ts [--rounds 3] [--seconds 5]`
 *
 * (a) 1,000 open streams, a broadcast listener at 20 inbound/s (20,000 frames/s)
 * (b) 10,000 open streams, the same broadcast (200,000 frames/s)
 * (c) 10,000 open streams, 1,000 session-targeted inbound/s
 * and the relay's memory per idle stream. Each scenario runs `rounds` times; the medians are reported.
 *
 * The baseline (`raw.ts`) is a bare `net` server holding as many streams from the same clients: in
 * (a) and (b) it fans frames out at the same rate, in rounds that alternate with the relay's, and
 * its memory per socket is measured like the relay's. Each figure is also given as relay ÷ raw.
 */
import { cpus, loadavg } from 'node:os'
import { admin, ask, median, perConnection, percentile, round, start, type Memory } from './harness.ts'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const ROUNDS = option('rounds', 3)
const SECONDS = option('seconds', 5)
const CLIENT_PROCESSES = 2
const SCENARIOS = (args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '') : 'a,b,c').split(',')

interface Latencies {
  expected: number
  received: number
  p50: number
  p99: number
  max: number
  clientsCpuMs: number
}
interface Round {
  relay: Latencies & Record<string, unknown>
  raw?: Latencies & Record<string, unknown>
}

async function main(): Promise<void> {
  const startedAt = Date.now()
  // STREAM_BENCH_PROFILE=dir writes a CPU profile of the relay for each measured round there
  // (<scenario>-<round>.cpuprofile), to see what bounds it.
  const profileDir = process.env.STREAM_BENCH_PROFILE
  const relay = start('./relay.ts', ['--expose-gc'])
  const raw = start('./raw.ts', ['--expose-gc'])
  const { url, port, adminToken } = await ask(relay, null, 'started')
  const { port: rawPort } = await ask(raw, null, 'started')
  const clients = Array.from({ length: CLIENT_PROCESSES }, () => start('./clients.ts'))
  const load = start('./load.ts')
  await Promise.all([...clients, load].map((child) => ask(child, null, 'started')))

  const created = await admin(url, adminToken, '/v1/projects', { name: 'bench' })
  const projectId: string = created.project.id
  const key: string = created.keys.test
  const listen = (name: string, target: unknown) =>
    admin(url, adminToken, `/v1/projects/${projectId}/listeners`, { name, set: { t: '$.t' }, target })
  const broadcast = await listen('broadcast', 'broadcast')
  const targeted = await listen('targeted', { session: '$.session' })

  const sessions: string[] = []
  let rawStreams = 0
  const spread = (names: string[], to: number, withKey: string) =>
    Promise.all(
      clients.map((client, c) =>
        ask(
          client,
          {
            type: 'open',
            port: to,
            key: withKey,
            sessions: names.filter((_, i) => i % CLIENT_PROCESSES === c),
            // The relay streams claimed sessions only; the raw baseline takes any.
            claim: to === port,
            address: `127.0.0.${11 + c}`,
          },
          'opened',
        ),
      ),
    )
  const openStreams = async (total: number) => {
    const fresh = Array.from({ length: total - sessions.length }, (_, i) => `ses_bench${sessions.length + i}`)
    sessions.push(...fresh)
    await spread(fresh, port, key)
    await spread(
      Array.from({ length: total - rawStreams }, (_, i) => `ses_raw${rawStreams + i}`),
      rawPort,
      'raw',
    )
    rawStreams = total
  }
  const memory = (of: typeof relay) => ask<Memory>(of, { type: 'memory' }, 'memory')

  /** Waits for `expected` frames (30 s at most) and gathers every client's latencies. */
  const gather = async (expected: number, clientCpuBefore: number): Promise<Latencies> => {
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      const counts = await Promise.all(
        clients.map((client) => ask<{ frames: number }>(client, { type: 'count' }, 'count')),
      )
      if (counts.reduce((sum, reply) => sum + reply.frames, 0) >= expected) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const parts = await Promise.all(
      clients.map((client) => ask<{ samples: Float64Array; cpuMs: number }>(client, { type: 'collect' }, 'collected')),
    )
    const all = new Float64Array(parts.reduce((sum, part) => sum + part.samples.length, 0))
    let offset = 0
    for (const part of parts) {
      all.set(part.samples, offset)
      offset += part.samples.length
    }
    all.sort()
    return {
      expected,
      received: all.length,
      p50: round(percentile(all, 50), 2),
      p99: round(percentile(all, 99), 2),
      max: round(all[all.length - 1] ?? NaN, 1),
      clientsCpuMs: round(parts.reduce((sum, part) => sum + part.cpuMs, 0) - clientCpuBefore, 0),
    }
  }
  const resetClients = async () =>
    (await Promise.all(clients.map((client) => ask<{ cpuMs: number }>(client, { type: 'reset' }, 'reset')))).reduce(
      (sum, reply) => sum + reply.cpuMs,
      0,
    )

  let profiled = ''
  /** One round of the relay: inbound webhooks for SECONDS, then every frame they cause. */
  const relayRound = async (listener: any, ratePerSecond: number, perInbound: number, targets?: string[]) => {
    const clientCpuBefore = await resetClients()
    if (profileDir) await ask(relay, { type: 'profile', action: 'start' }, 'profiled')
    const before = await ask(relay, { type: 'cpu' }, 'cpu')
    const run = { type: 'run', url: `${url}${listener.listener.url as string}`, secret: listener.secret, ratePerSecond }
    const done = await ask(load, { ...run, durationMs: SECONDS * 1000, sessions: targets }, 'done')
    const latencies = await gather((done.statuses[202] ?? 0) * perInbound, clientCpuBefore)
    const after = await ask(relay, { type: 'cpu' }, 'cpu')
    if (profileDir)
      await ask(relay, { type: 'profile', action: 'stop', file: `${profileDir}/${profiled}.cpuprofile` }, 'profiled')
    const wallMs: number = after.wallMs - before.wallMs
    return {
      ...latencies,
      sent: done.sent,
      statuses: done.statuses,
      answer: done.answer,
      cpu: {
        relayPercent: round((100 * (after.cpuMs - before.cpuMs)) / wallMs, 0),
        loadPercent: done.cpuPercent,
        clientsPercent: round((100 * latencies.clientsCpuMs) / wallMs, 0),
        relayLoopDelayMs: { p50: round(after.loop.p50), p99: round(after.loop.p99), max: round(after.loop.max) },
      },
    }
  }
  /** One round of the baseline: the same frame rate fanned out by the bare server to its `streams`. */
  const rawRound = async (ratePerSecond: number, streams: number) => {
    const clientCpuBefore = await resetClients()
    const done = await ask(raw, { type: 'run', ratePerSecond, durationMs: SECONDS * 1000 }, 'done')
    return { ...(await gather(done.sent * streams, clientCpuBefore)), rawPercent: done.cpuPercent }
  }
  const scenario = async (
    name: string,
    relayRun: () => Promise<Round['relay']>,
    rawRun?: () => Promise<Round['raw']>,
  ) => {
    const rounds: Round[] = []
    for (let i = 0; i < ROUNDS; i++) {
      profiled = `${name}-${i + 1}`
      // Alternate which goes first, so that a busy neighbour hits both alike.
      let row: Round
      if (rawRun && i % 2 === 1) {
        const rawResult = await rawRun()
        row = { raw: rawResult, relay: await relayRun() }
      } else row = { relay: await relayRun(), raw: await rawRun?.() }
      rounds.push(row)
      console.error(`${name} round ${i + 1}: ${JSON.stringify(row)}`)
    }
    const of = (pick: (row: Round) => number | undefined) => round(median(rounds.map((row) => pick(row) ?? NaN)), 2)
    return {
      p50: of((row) => row.relay.p50),
      p99: of((row) => row.relay.p99),
      raw: { p50: of((row) => row.raw?.p50), p99: of((row) => row.raw?.p99) },
      p99OverRaw: of((row) => (row.raw ? row.relay.p99 / row.raw.p99 : undefined)),
      rounds,
    }
  }
  const skipped = { p50: NaN, p99: NaN, raw: { p50: NaN, p99: NaN }, p99OverRaw: NaN, rounds: [] }
  const chosen = (name: string, run: () => ReturnType<typeof scenario>) =>
    SCENARIOS.includes(name) ? run() : Promise.resolve(skipped)

  const base = { relay: await memory(relay), raw: await memory(raw) }
  await openStreams(1000)
  const at1k = { relay: await memory(relay), raw: await memory(raw) }
  const a = await chosen('a', () =>
    scenario(
      'a',
      () => relayRound(broadcast, 20, 1000),
      () => rawRound(20, 1000),
    ),
  )
  await openStreams(10_000)
  const at10k = { relay: await memory(relay), raw: await memory(raw) }
  const b = await chosen('b', () =>
    scenario(
      'b',
      () => relayRound(broadcast, 20, 10_000),
      () => rawRound(20, 10_000),
    ),
  )
  const c = await chosen('c', () => scenario('c', () => relayRound(targeted, 1000, 1, sessions)))

  const relayIdle = perConnection(base.relay, at10k.relay, 10_000)
  const rawIdle = perConnection(base.raw, at10k.raw, 10_000)
  const summary = (s: Awaited<ReturnType<typeof scenario>>) => ({
    p50: s.p50,
    p99: s.p99,
    raw: s.raw,
    p99OverRaw: s.p99OverRaw,
  })
  const result = {
    machine: { cpus: cpus().length, node: process.version, load: loadavg().map((l) => round(l, 2)) },
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    a: summary(a),
    b: summary(b),
    c: { p50: c.p50, p99: c.p99 },
    memoryPerIdleStream: {
      relay: { at1k: perConnection(base.relay, at1k.relay, 1000), at10k: relayIdle },
      raw: { at1k: perConnection(base.raw, at1k.raw, 1000), at10k: rawIdle },
      rssOverRawAt10k: round(relayIdle.rssKiB / rawIdle.rssKiB, 2),
      connections: at10k.relay.connections,
    },
    details: { a: a.rounds, b: b.rounds, c: c.rounds },
    seconds: round((Date.now() - startedAt) / 1000, 0),
  }
  console.log(JSON.stringify(result, null, 2))

  load.send({ type: 'close' })
  raw.send({ type: 'close' })
  for (const client of clients) client.send({ type: 'close' })
  await ask(relay, { type: 'close' }, 'never', 5000).catch(() => {})
  relay.kill()
}

// Bounded in time: whatever happens, the benchmark ends within ten minutes.
setTimeout(() => {
  console.error('stream benchmark: time limit reached')
  process.exit(1)
}, 10 * 60_000).unref()
await main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
process.exit(0)
