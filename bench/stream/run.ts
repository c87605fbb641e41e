/**
 * Stream benchmark: inbound webhook → `vars` frame received, with the relay, the load generator
 * and the stream clients in separate processes. `npx tsx bench/stream/run.ts [--rounds 3] [--seconds 5]`
 *
 * (a) 1,000 open streams, a broadcast listener at 20 inbound/s (20,000 frames/s)
 * (b) 10,000 open streams, the same broadcast (200,000 frames/s)
 * (c) 10,000 open streams, 1,000 session-targeted inbound/s
 * and the relay's memory per idle stream. Each scenario runs `rounds` times; the medians are reported.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? Number(args[at + 1]) : fallback
}
const ROUNDS = option('rounds', 3)
const SECONDS = option('seconds', 5)
const CLIENT_PROCESSES = 2
const SCENARIOS = (
  args[args.indexOf('--only') + 1] && args.includes('--only') ? args[args.indexOf('--only') + 1]! : 'a,b,c'
).split(',')
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

const children: ChildProcess[] = []
process.on('exit', () => children.forEach((child) => child.kill()))

function start(file: string, extra: string[] = []): ChildProcess {
  return remember(
    fork(here(file), {
      execArgv: [...process.execArgv, ...extra],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  )
}

function remember(child: ChildProcess): ChildProcess {
  children.push(child)
  // A child that dies ends the run: its replies would never come.
  child.on('exit', (code) => code && process.exit(1))
  return child
}

interface Cpu {
  cpuMs: number
  wallMs: number
  loop: { p50: number; p99: number; max: number }
}

interface Memory {
  rss: number
  heapUsed: number
  external: number
  connections: number
}

/** What each child answers, by the `type` of its reply (relay.ts, clients.ts, load.ts). */
interface Replies {
  started: { url: string; port: number; adminToken: string }
  memory: Memory
  cpu: Cpu
  opened: { open: number }
  reset: { cpuMs: number }
  count: { frames: number }
  collected: { frames: number; samples: Float64Array; cpuMs: number }
  done: {
    sent: number
    statuses: Record<number, number>
    answer: { p50: number; p99: number }
    cpuPercent: number
  }
  never: never
}

function ask<R extends keyof Replies>(
  child: ChildProcess,
  message: object | null,
  reply: R,
  timeoutMs = 120_000,
): Promise<Replies[R]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${reply}" within ${timeoutMs} ms`)), timeoutMs)
    const onMessage = (received: Replies[R] & { type?: string }) => {
      if (received.type !== reply) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve(received)
    }
    child.on('message', onMessage)
    if (message) child.send(message)
  })
}

async function admin(base: string, token: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const round = (value: number, digits = 1) => Number(value.toFixed(digits))

async function main(): Promise<void> {
  const startedAt = Date.now()
  // STREAM_BENCH_PROFILE=dir writes a CPU profile of the relay there, to see what bounds it.
  const profile = process.env.STREAM_BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STREAM_BENCH_PROFILE}`]
    : []
  const relay = start('./relay.ts', ['--expose-gc', ...profile])
  const { url, port, adminToken } = await ask(relay, null, 'started')
  const clients = Array.from({ length: CLIENT_PROCESSES }, () => start('./clients.ts'))
  const load = start('./load.ts')
  await Promise.all([...clients, load].map((child) => ask(child, null, 'started')))

  const created = await admin(url, adminToken, '/v1/projects', { name: 'bench' })
  const projectId = created.project.id
  const key = created.keys.test
  const broadcast = await admin(url, adminToken, `/v1/projects/${projectId}/listeners`, {
    name: 'broadcast',
    set: { t: '$.t' },
    target: 'broadcast',
  })
  const targeted = await admin(url, adminToken, `/v1/projects/${projectId}/listeners`, {
    name: 'targeted',
    set: { t: '$.t' },
    target: { session: '$.session' },
  })

  const sessions: string[] = []
  const openStreams = async (total: number) => {
    const fresh = Array.from({ length: total - sessions.length }, (_, i) => `ses_bench${sessions.length + i}`)
    sessions.push(...fresh)
    await Promise.all(
      clients.map((client, c) =>
        ask(
          client,
          { type: 'open', port, key, sessions: fresh.filter((_, i) => i % CLIENT_PROCESSES === c) },
          'opened',
        ),
      ),
    )
  }
  const memory = () => ask(relay, { type: 'memory' }, 'memory')

  /** One round: send for SECONDS, wait for the frames to arrive, and gather the latencies. */
  const measure = async (
    listener: { listener: { url: string }; secret: string },
    ratePerSecond: number,
    expectedPerInbound: number,
    targetedSessions?: string[],
  ) => {
    const clientCpuBefore = (
      await Promise.all(clients.map((client) => ask(client, { type: 'reset' }, 'reset')))
    ).reduce((sum, r) => sum + r.cpuMs, 0)
    const relayBefore = await ask(relay, { type: 'cpu' }, 'cpu')
    const done = await ask(
      load,
      {
        type: 'run',
        url: url + listener.listener.url,
        secret: listener.secret,
        ratePerSecond,
        durationMs: SECONDS * 1000,
        sessions: targetedSessions,
      },
      'done',
    )
    const accepted = done.statuses[202] ?? 0
    const expected = accepted * expectedPerInbound
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      const received = (await Promise.all(clients.map((client) => ask(client, { type: 'count' }, 'count')))).reduce(
        (sum, reply) => sum + reply.frames,
        0,
      )
      if (received >= expected) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const relayAfter = await ask(relay, { type: 'cpu' }, 'cpu')
    const parts = await Promise.all(clients.map((client) => ask(client, { type: 'collect' }, 'collected')))
    const wallMs = relayAfter.wallMs - relayBefore.wallMs
    const cpu = {
      relayPercent: round((100 * (relayAfter.cpuMs - relayBefore.cpuMs)) / wallMs, 0),
      loadPercent: done.cpuPercent,
      clientsPercent: round((100 * (parts.reduce((sum, part) => sum + part.cpuMs, 0) - clientCpuBefore)) / wallMs, 0),
      relayLoopDelayMs: {
        p50: round(relayAfter.loop.p50, 1),
        p99: round(relayAfter.loop.p99, 1),
        max: round(relayAfter.loop.max, 1),
      },
    }
    const all = new Float64Array(parts.reduce((sum, part) => sum + part.samples.length, 0))
    let offset = 0
    for (const part of parts) {
      all.set(part.samples, offset)
      offset += part.samples.length
    }
    all.sort()
    return {
      sent: done.sent,
      statuses: done.statuses,
      answer: done.answer,
      expected,
      received: all.length,
      p50: round(percentile(all, 50), 2),
      p99: round(percentile(all, 99), 2),
      max: round(all[all.length - 1] ?? NaN, 1),
      cpu,
    }
  }
  const scenario = async (name: string, run: () => ReturnType<typeof measure>) => {
    const rounds = []
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await run())
      console.error(`${name} round ${i + 1}: ${JSON.stringify(rounds.at(-1))}`)
    }
    return {
      name,
      p50: round(median(rounds.map((r) => r.p50)), 2),
      p99: round(median(rounds.map((r) => r.p99)), 2),
      rounds,
    }
  }

  const base = await memory()
  await openStreams(1000)
  const at1k = await memory()
  const skipped = { p50: NaN, p99: NaN, rounds: [] }
  const a = SCENARIOS.includes('a') ? await scenario('a', () => measure(broadcast, 20, 1000)) : skipped
  await openStreams(10_000)
  const at10k = await memory()
  const b = SCENARIOS.includes('b') ? await scenario('b', () => measure(broadcast, 20, 10_000)) : skipped
  const c = SCENARIOS.includes('c') ? await scenario('c', () => measure(targeted, 1000, 1, sessions)) : skipped

  const perStream = (from: Memory, to: Memory, streams: number) => ({
    heapAndBuffersKiB: round((to.heapUsed + to.external - from.heapUsed - from.external) / streams / 1024, 2),
    rssKiB: round((to.rss - from.rss) / streams / 1024, 2),
  })
  const result = {
    machine: {
      cpus: (await import('node:os')).cpus().length,
      node: process.version,
      load: (await import('node:os')).loadavg().map((l) => round(l, 2)),
    },
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    a: { p50: a.p50, p99: a.p99 },
    b: { p50: b.p50, p99: b.p99 },
    c: { p50: c.p50, p99: c.p99 },
    memoryPerIdleStream: {
      at1k: perStream(base, at1k, 1000),
      at10k: perStream(base, at10k, 10_000),
      connections: at10k.connections,
    },
    details: { a: a.rounds, b: b.rounds, c: c.rounds },
    seconds: round((Date.now() - startedAt) / 1000, 0),
  }
  console.log(JSON.stringify(result, null, 2))

  load.send({ type: 'close' })
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
