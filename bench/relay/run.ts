// Relay benchmark (not a test): `npx tsx bench/relay/run.ts` (ROUNDS=3 by default).
// The relay, the endpoint and the load generator each run in their own process, on 127.0.0.1.
//   ingest    events/s durably accepted (batches of 100, 4 requests in flight, no subscribers)
//   delivery  events/s arriving at an endpoint that answers 200 at once (signed, state on disk),
//             next to the raw rate of the same load generator posting straight to that endpoint
//   latency   event sent → endpoint received, p50/p99, at a steady 1,000 events/s (batches of 10)
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
// BENCH_ONLY=latency (or ingest, delivery) runs one phase alone, for quicker looks.
const ONLY = process.env.BENCH_ONLY
const runs = (phase: string) => !ONLY || ONLY === phase
const INGEST_BATCHES = 200
const DELIVERY_EVENTS = 10_000
const RAW_CONCURRENCY = 64 // the dispatcher's default in-flight cap per webhook
const STEADY_SECONDS = 5
const ADMIN_TOKEN = 'bench-admin-token-0000000000'
const here = new URL('.', import.meta.url).pathname
const dataDir = mkdtempSync(join(tmpdir(), 'hookline-bench-'))
const children: ChildProcess[] = []

function child(file: string): Promise<{ process: ChildProcess; ready: any }> {
  const proc = fork(join(here, file), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  children.push(proc)
  return new Promise((resolve) => proc.once('message', (ready) => resolve({ process: proc, ready })))
}

function ask(proc: ChildProcess, message: object, expect = 'done'): Promise<any> {
  return new Promise((resolve, reject) => {
    const died = (code: number | null) =>
      reject(new Error(`${proc.spawnargs.at(-1)} exited (${code}) before answering`))
    const listen = (reply: any) => {
      if (reply.type === 'error') reject(new Error(reply.message))
      else if (reply.type === expect) resolve(reply.result ?? reply)
      else return
      proc.off('message', listen)
      proc.off('exit', died)
    }
    proc.on('message', listen)
    proc.once('exit', died)
    proc.send(message)
  })
}

function startRelay(): Promise<string> {
  const env = {
    ...process.env,
    HOOKLINE_ADMIN_TOKEN: ADMIN_TOKEN,
    HOOKLINE_RATE_LIMIT: '100000:100000',
    HOOKLINE_EVENT_RATE_LIMIT: '10000000:10000000',
  }
  // BENCH_PROFILE=dir writes a CPU profile of the relay there (for finding what bounds it).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []
  const proc = spawn(
    process.execPath,
    [
      ...profile,
      '--import',
      'tsx',
      join(here, '../../packages/relay/src/cli.ts'),
      'start',
      '--dev',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  children.push(proc)
  return new Promise((resolve, reject) => {
    let output = ''
    proc.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Hookline relay on (\S+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    proc.once('exit', (code) => reject(new Error(`relay exited ${code}: ${output}`)))
  })
}

async function admin(url: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** The relay process's CPU time so far (user + system), from its own /metrics. */
async function relayCpuSeconds(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text()
  return Number(/^hookline_process_cpu_seconds_total (\S+)/m.exec(metrics)?.[1])
}

async function waitForArrivals(endpoint: ChildProcess, count: number, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const report = await ask(endpoint, { type: 'report' }, 'report')
    if (report.count >= count) return report
    if (Date.now() > deadline) throw new Error(`only ${report.count} of ${count} deliveries arrived in ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function main() {
  const [{ process: endpoint, ready }, { process: load }, relayUrl] = await Promise.all([
    child('endpoint.ts'),
    child('load.ts'),
    startRelay(),
  ])
  const endpointUrl = `http://127.0.0.1:${ready.port}/hook`
  const rounds: { ingest: number; raw: number; delivery: number; p50: number; p99: number; cpu: number }[] = []

  for (let round = 1; round <= ROUNDS; round++) {
    let ingest = { accepted: NaN, ms: 1 }
    let raw = { count: NaN, ms: 1 }
    let delivered = { count: NaN, first: 0, last: 1 }
    let timed = { latencies: [NaN] }
    let cpuPerDelivery = NaN
    if (runs('ingest')) {
      const bare = await admin(relayUrl, '/v1/projects', { name: `ingest ${round}` })
      ingest = await ask(load, {
        type: 'ingest',
        url: relayUrl,
        key: bare.keys.test,
        batches: INGEST_BATCHES,
        size: 100,
        concurrency: 4,
      })
    }
    if (runs('delivery')) {
      await ask(endpoint, { type: 'reset' }, 'reset')
      raw = await ask(load, { type: 'raw', url: endpointUrl, count: DELIVERY_EVENTS, concurrency: RAW_CONCURRENCY })
      const delivering = await admin(relayUrl, '/v1/projects', { name: `delivery ${round}` })
      await admin(relayUrl, `/v1/projects/${delivering.project.id}/webhooks`, {
        name: 'bench',
        url: endpointUrl,
        events: ['*'],
      })
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
      delivered = await waitForArrivals(endpoint, DELIVERY_EVENTS, 120_000)
      // The relay's own CPU per delivered event (its ingest included): steadier than rates on a shared machine.
      cpuPerDelivery = (((await relayCpuSeconds(relayUrl)) - cpuBefore) * 1e6) / DELIVERY_EVENTS
    }
    if (runs('latency')) {
      const steady = await admin(relayUrl, '/v1/projects', { name: `latency ${round}` })
      await admin(relayUrl, `/v1/projects/${steady.project.id}/webhooks`, {
        name: 'bench',
        url: endpointUrl,
        events: ['*'],
      })
      await ask(endpoint, { type: 'reset' }, 'reset')
      await ask(load, {
        type: 'steady',
        url: relayUrl,
        key: steady.keys.test,
        rate: 1000,
        seconds: STEADY_SECONDS,
        size: 10,
      })
      timed = await waitForArrivals(endpoint, 1000 * STEADY_SECONDS, 60_000)
      // The relay's own view, to tell its event loop from the network: lag since it started.
      const metrics = await (
        await fetch(`${relayUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      ).text()
      const lag = (name: string) =>
        Number(new RegExp(`^hookline_nodejs_eventloop_lag_${name}_seconds (\\S+)`, 'm').exec(metrics)?.[1]) * 1000
      console.log(`  relay event-loop lag: p99 ${lag('p99').toFixed(1)} ms, max ${lag('max').toFixed(1)} ms`)
    }

    const figures = {
      ingest: (ingest.accepted / ingest.ms) * 1000,
      raw: (raw.count / raw.ms) * 1000,
      delivery: (delivered.count / (delivered.last - delivered.first)) * 1000,
      p50: percentile(timed.latencies, 50),
      p99: percentile(timed.latencies, 99),
      cpu: cpuPerDelivery,
    }
    rounds.push(figures)
    console.log(
      `round ${round}: ingest ${figures.ingest.toFixed(0)} ev/s · delivery ${figures.delivery.toFixed(0)} ev/s vs raw ${figures.raw.toFixed(0)} req/s ` +
        `(${((figures.delivery / figures.raw) * 100).toFixed(0)}%, relay CPU ${figures.cpu.toFixed(0)} µs/event) · latency p50 ${figures.p50.toFixed(1)} ms p99 ${figures.p99.toFixed(1)} ms`,
    )
  }

  const pick = (key: keyof (typeof rounds)[number]) => median(rounds.map((r) => r[key]))
  const ratio = median(rounds.map((r) => r.delivery / r.raw))
  console.log(
    `\nRelay, median of ${ROUNDS} rounds (${cpus().length} cores, Node ${process.versions.node}, SQLite WAL, HOOKLINE_SYNC=${process.env.HOOKLINE_SYNC ?? 'full'}):`,
  )
  console.log(`| figure | median | aim |`)
  console.log(`|---|---|---|`)
  console.log(`| ingest, events/s durably accepted (batches of 100) | ${pick('ingest').toFixed(0)} | ≥ 20,000 |`)
  console.log(`| delivery, events/s to a 200-at-once endpoint | ${pick('delivery').toFixed(0)} | |`)
  console.log(`| raw, requests/s of the same load generator straight to it | ${pick('raw').toFixed(0)} | |`)
  console.log(`| delivery ÷ raw | ${(ratio * 100).toFixed(0)}% | ≥ 50% |`)
  console.log(`| relay CPU per delivered event (its ingest included) | ${pick('cpu').toFixed(0)} µs | |`)
  console.log(`| event → endpoint latency at 1,000 events/s, p50 | ${pick('p50').toFixed(1)} ms | |`)
  console.log(`| event → endpoint latency at 1,000 events/s, p99 | ${pick('p99').toFixed(1)} ms | ≤ 25 ms |`)
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(async () => {
    // The relay first, gently, so that a CPU profile gets written.
    const relay = children.find((proc) => proc.spawnargs.includes('start'))
    relay?.kill('SIGTERM')
    if (relay) await new Promise((resolve) => setTimeout(resolve, 1500))
    for (const proc of children) proc.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })
