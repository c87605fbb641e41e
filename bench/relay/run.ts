// Relay benchmark (not a test): `npx tsx bench/relay/run.ts` (ROUNDS=3 by default).
// The relay, the endpoint and the load generator each run in their own process, on 127.0.0.1.
//   ingest    events/s durably accepted (batches of 100, 4 requests in flight, no subscribers)
//   delivery  events/s arriving at an endpoint that answers 200 at once (signed, state on disk),
//             next to the raw rate of the same load generator posting straight to that endpoint
//   latency   event sent → endpoint received, p50/p99, at a steady 1,000 events/s (batches of 10)
// VARIANTS=loop,thread (the default) runs each round on two relays, one per SQLite mode: `loop`
// commits on the event loop, `thread` in the SQLite worker thread (HOOKLINE_SQLITE_THREAD=1), in
// turns, so each is compared with the other in the same minutes. BENCH_BASE=/other/checkout adds
// `base-loop`/`base-thread` variants (`VARIANTS=thread,base-thread`): the same mode run by that
// tree's relay, for an A/B of two versions of the code in the same minutes.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  admin,
  ask,
  child,
  children,
  median,
  percentile,
  projectWithWebhook,
  relayMetrics,
  startRelay,
  waitForArrivals,
} from './harness.ts'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
// BENCH_ONLY=latency (or ingest, delivery) runs one phase alone, for quicker looks.
const ONLY = process.env.BENCH_ONLY
const runs = (phase: string) => !ONLY || ONLY.split(',').includes(phase)
const VARIANTS = (process.env.VARIANTS ?? 'loop,thread').split(',')
// BENCH_INGEST_BATCHES=1000 for longer ingest rounds, past the JIT's warm-up.
const INGEST_BATCHES = Number(process.env.BENCH_INGEST_BATCHES ?? 200)
const DELIVERY_EVENTS = 10_000
const RAW_CONCURRENCY = 64 // the dispatcher's default in-flight cap per webhook
const STEADY_SECONDS = 5
const dataDirs: string[] = []

/** The relay process's CPU time so far (user + system), from its own /metrics. */
async function relayCpuSeconds(url: string): Promise<number> {
  const metrics = await relayMetrics(url)
  return Number(/^hookline_process_cpu_seconds_total (\S+)/m.exec(metrics)?.[1])
}

interface Figures {
  ingest: number
  /** The relay's CPU per ingested event, µs (main thread and SQLite worker together). */
  ingestCpu: number
  raw: number
  delivery: number
  p50: number
  p99: number
  cpu: number
  lag: number
}

async function main() {
  const relays = new Map<string, string>()
  for (const variant of VARIANTS) {
    const mode = variant.replace(/^base-/, '')
    const base = variant.startsWith('base-') ? process.env.BENCH_BASE : undefined
    if ((mode !== 'loop' && mode !== 'thread') || (variant !== mode && !base))
      throw new Error(`VARIANTS: loop, thread, or base-loop/base-thread with BENCH_BASE set, not ${variant}`)
    const dataDir = mkdtempSync(join(tmpdir(), `hookline-bench-${variant}-`))
    dataDirs.push(dataDir)
    const relay = await startRelay(
      ['--data-dir', dataDir],
      { HOOKLINE_SQLITE_THREAD: mode === 'thread' ? '1' : '0' },
      base,
    )
    relays.set(variant, relay.url)
  }
  const [{ process: endpoint, ready }, { process: load }] = await Promise.all([child('endpoint.ts'), child('load.ts')])
  const endpointUrl = `http://127.0.0.1:${ready.port}/hook`
  const rounds = new Map<string, Figures[]>(VARIANTS.map((variant) => [variant, []]))
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (${cpus().length} cores)`,
  )

  for (let round = 1; round <= ROUNDS; round++) {
    // Each round starts with another variant, so neither always runs first.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round - 1) % VARIANTS.length]!)
    for (const variant of order) {
      const relayUrl = relays.get(variant)!
      const figures: Figures = {
        ingest: NaN,
        ingestCpu: NaN,
        raw: NaN,
        delivery: NaN,
        p50: NaN,
        p99: NaN,
        cpu: NaN,
        lag: NaN,
      }
      if (runs('ingest')) {
        const bare = await admin(relayUrl, '/v1/projects', { name: `ingest ${round}` })
        const cpuBefore = await relayCpuSeconds(relayUrl)
        const ingest = await ask(load, {
          type: 'ingest',
          url: relayUrl,
          key: bare.keys.test,
          batches: INGEST_BATCHES,
          size: 100,
          concurrency: 4,
        })
        figures.ingest = (ingest.accepted / ingest.ms) * 1000
        figures.ingestCpu = (((await relayCpuSeconds(relayUrl)) - cpuBefore) * 1e6) / ingest.accepted
      }
      if (runs('delivery')) {
        await ask(endpoint, { type: 'reset' }, 'reset')
        const raw = await ask(load, {
          type: 'raw',
          url: endpointUrl,
          count: DELIVERY_EVENTS,
          concurrency: RAW_CONCURRENCY,
        })
        figures.raw = (raw.count / raw.ms) * 1000
        const delivering = await projectWithWebhook(relayUrl, `delivery ${round}`, endpointUrl)
        await ask(endpoint, { type: 'reset' }, 'reset')
        const cpuBefore = await relayCpuSeconds(relayUrl)
        await ask(load, {
          type: 'ingest',
          url: relayUrl,
          key: delivering.keys.test,
          batches: DELIVERY_EVENTS / 100,
          size: 100,
          concurrency: 4,
        })
        const delivered = await waitForArrivals(endpoint, DELIVERY_EVENTS, 180_000)
        figures.delivery = (delivered.count / (delivered.last - delivered.first)) * 1000
        // The relay's own CPU per delivered event (its ingest included): steadier than rates on a shared machine.
        figures.cpu = (((await relayCpuSeconds(relayUrl)) - cpuBefore) * 1e6) / DELIVERY_EVENTS
      }
      if (runs('latency')) {
        const steady = await projectWithWebhook(relayUrl, `latency ${round}`, endpointUrl)
        await ask(endpoint, { type: 'reset' }, 'reset')
        await ask(load, {
          type: 'steady',
          url: relayUrl,
          key: steady.keys.test,
          rate: 1000,
          seconds: STEADY_SECONDS,
          size: 10,
        })
        const timed = await waitForArrivals(endpoint, 1000 * STEADY_SECONDS, 60_000)
        figures.p50 = percentile(timed.latencies, 50)
        figures.p99 = percentile(timed.latencies, 99)
        // The relay's own view, to tell its event loop from the network: lag since it started.
        const metrics = await relayMetrics(relayUrl)
        figures.lag = Number(/^hookline_nodejs_eventloop_lag_p99_seconds (\S+)/m.exec(metrics)?.[1]) * 1000
      }
      rounds.get(variant)!.push(figures)
      console.log(
        `round ${round} ${variant.padEnd(6)}: ingest ${figures.ingest.toFixed(0)} ev/s (relay CPU ${figures.ingestCpu.toFixed(1)} µs/event) · delivery ${figures.delivery.toFixed(0)} ev/s vs raw ${figures.raw.toFixed(0)} req/s ` +
          `(${((figures.delivery / figures.raw) * 100).toFixed(0)}%, relay CPU ${figures.cpu.toFixed(0)} µs/event) · ` +
          `latency p50 ${figures.p50.toFixed(1)} ms p99 ${figures.p99.toFixed(1)} ms (loop lag p99 ${figures.lag.toFixed(1)} ms) · load ${loadavg()[0]!.toFixed(1)}`,
      )
    }
  }

  console.log(
    `\nRelay, median of ${ROUNDS} rounds (${cpus().length} cores, Node ${process.versions.node}, SQLite WAL, HOOKLINE_SYNC=${process.env.HOOKLINE_SYNC ?? 'full'}):`,
  )
  console.log(`| figure | ${VARIANTS.join(' | ')} | aim |`)
  console.log(`|---|${VARIANTS.map(() => '---|').join('')}---|`)
  const row = (label: string, aim: string, cell: (figures: Figures[]) => string) =>
    console.log(`| ${label} | ${VARIANTS.map((variant) => cell(rounds.get(variant)!)).join(' | ')} | ${aim} |`)
  const pick =
    (key: keyof Figures, digits = 0) =>
    (figures: Figures[]) =>
      median(figures.map((f) => f[key])).toFixed(digits)
  row('ingest, events/s durably accepted (batches of 100)', '≥ 100,000', pick('ingest'))
  row('relay CPU per ingested event (main thread and worker), µs', '', pick('ingestCpu', 1))
  row('delivery, events/s to a 200-at-once endpoint', '', pick('delivery'))
  row('raw, requests/s of the same load generator straight to it', '', pick('raw'))
  row(
    'delivery ÷ raw (median of the rounds’ ratios)',
    '≥ 60%',
    (f) => `${(median(f.map((r) => r.delivery / r.raw)) * 100).toFixed(0)}%`,
  )
  row('relay CPU per delivered event (its ingest included), µs', '', pick('cpu'))
  row('event → endpoint latency at 1,000 events/s, p50 ms', '', pick('p50', 1))
  row('event → endpoint latency at 1,000 events/s, p99 ms', '≤ 5 ms', pick('p99', 1))
  row('relay event-loop lag p99 (since start), ms', '', pick('lag', 1))
  if (VARIANTS.includes('loop') && VARIANTS.includes('thread')) {
    const loop = rounds.get('loop')!
    const thread = rounds.get('thread')!
    const ratio = (key: keyof Figures) => median(thread.map((t, i) => t[key] / loop[i]![key])).toFixed(2)
    console.log(
      `thread ÷ loop, median of the rounds' ratios: ingest ×${ratio('ingest')}, delivery ×${ratio('delivery')}, CPU/event ×${ratio('cpu')}, p99 ×${ratio('p99')}`,
    )
  }
  for (const variant of VARIANTS.filter((name) => name.startsWith('base-'))) {
    const mode = variant.replace(/^base-/, '')
    if (!VARIANTS.includes(mode)) continue
    const ours = rounds.get(mode)!
    const theirs = rounds.get(variant)!
    const ratio = (figure: (f: Figures) => number) =>
      median(ours.map((f, i) => figure(f) / figure(theirs[i]!))).toFixed(2)
    console.log(
      `${mode} ÷ ${variant}, median of the rounds' ratios: ingest ×${ratio((f) => f.ingest)}, ingest CPU/event ×${ratio((f) => f.ingestCpu)}, delivery ×${ratio((f) => f.delivery)}, delivery÷raw ×${ratio((f) => f.delivery / f.raw)}, CPU/event ×${ratio((f) => f.cpu)}, p50 ×${ratio((f) => f.p50)}, p99 ×${ratio((f) => f.p99)}, lag ×${ratio((f) => f.lag)}`,
    )
  }
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(async () => {
    // The relays first, gently, so that a CPU profile gets written.
    const relays = children.filter((proc) => proc.spawnargs.includes('start'))
    for (const relay of relays) relay.kill('SIGTERM')
    if (relays.length > 0) await new Promise((resolve) => setTimeout(resolve, 1500))
    for (const proc of children) proc.kill('SIGKILL')
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true })
  })
