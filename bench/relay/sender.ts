// The relay's delivery client alone (no storage, no scheduler), against raw clients posting the same
// signed bodies to the same receiver: `npx tsx bench/relay/sender.ts` (ROUNDS=5, REQUESTS=10000).
//   sender        the relay's `Sender`: the SSRF guard's lookup, the timeout, the answer read and kept
//   sender+sign   the same, signing each request with @hookline/protocol's sign() as an attempt does
//   undici        undici's `request()` on an Agent, the body dumped: how most code posts with undici
//   dispatch      undici's `dispatch()` with a handler that keeps nothing: the least a client can do
//   node:http     node:http with a keep-alive Agent (the baseline of bench/relay/run.ts)
// Each round runs every client once, in an order that rotates, so that a noisy neighbour hits them
// alike; figures are medians over rounds (after one warm-up round), each a ratio to a baseline of
// the same round. The receiver (bench/relay/endpoint.ts) is its own process and answers 200 at once.
// BENCH_SENDER_MODULE=path adds `sender (path)`: another build of send.ts to A/B against this one
// (for instance `git show <rev>:packages/relay/src/delivery/send.ts`, with its ssrf.ts beside it).
import { fork } from 'node:child_process'
import http from 'node:http'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import { newId, sign } from '@hookline/protocol'
import { DEV_ALLOW_HOSTS, Sender, SsrfGuard, type OutgoingRequest, type SendResult } from '@hookline/relay'

const ROUNDS = Number(process.env.ROUNDS ?? 5)
const REQUESTS = Number(process.env.REQUESTS ?? 10_000)
const IN_FLIGHT = 64 // the dispatcher's default cap per webhook
const here = new URL('.', import.meta.url).pathname

const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64')
const text = JSON.stringify({
  id: newId('evt'),
  type: 'checkout-completed',
  timestamp: new Date().toISOString(),
  projectId: 'prj_bench',
  environment: 'test',
  session: { id: 'ses_benchsession0001', screen: 'checkout' },
  data: {
    total: 42,
    currency: 'EUR',
    items: Array.from({ length: 6 }, (_, i) => ({ sku: `SKU-${1000 + i}`, name: `Item number ${i}`, qty: 1 })),
  },
  vars: { plan: 'pro', cohort: 'b' },
})
const body = Buffer.from(text)
const headers = {
  'content-type': 'application/json',
  'user-agent': 'Hookline/bench',
  ...(await sign(secret, newId('msg'), Math.floor(Date.now() / 1000), body)),
}

interface Client {
  name: string
  /** One POST of `body`; resolves with the status once the answer was read. */
  post(url: string): Promise<number>
  close(): void
}

function senderClient(
  name: string,
  sender: { send(r: OutgoingRequest): Promise<SendResult>; close(): void },
  signEach = false,
): Client {
  return {
    name,
    post: async (url) => {
      const signed = signEach
        ? { ...headers, ...(await sign(secret, newId('msg'), Math.floor(Date.now() / 1000), body)) }
        : headers
      return (await sender.send({ url, headers: signed, body, timeoutMs: 10_000 })).status
    },
    close: () => sender.close(),
  }
}

function undiciClient(): Client {
  const agent = new Agent({ connections: 256, keepAliveTimeout: 10_000 })
  return {
    name: 'undici',
    post: async (url) => {
      const res = await request(url, { dispatcher: agent, method: 'POST', headers, body })
      await res.body.dump()
      return res.statusCode
    },
    close: () => void agent.close(),
  }
}

function dispatchClient(): Client {
  const agent = new Agent({ connections: 256, keepAliveTimeout: 10_000 })
  let target: { origin: string; pathname: string } | undefined
  return {
    name: 'dispatch',
    post: (url) =>
      new Promise((resolve, reject) => {
        const { origin, pathname } = (target ??= new URL(url))
        let status = 0
        agent.dispatch(
          { origin, path: pathname, method: 'POST', headers, body },
          {
            // undici reads a handler without onRequestStart as one of its older, deprecated shape.
            onRequestStart: () => {},
            onResponseStart: (_controller, code) => void (status = code),
            onResponseEnd: () => resolve(status),
            onResponseError: (_controller, error) => reject(error),
          },
        )
      }),
    close: () => void agent.close(),
  }
}

function nodeHttpClient(): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  return {
    name: 'node:http',
    post: (url) =>
      new Promise((resolve, reject) => {
        const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': body.length } })
        req.on('response', (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        })
        req.on('error', reject)
        req.end(body)
      }),
    close: () => agent.destroy(),
  }
}

/** `REQUESTS` posts, `IN_FLIGHT` at a time: requests/s, and this process's CPU per request. */
async function run(client: Client, url: string): Promise<{ rate: number; cpuUs: number }> {
  let next = 0
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const worker = async () => {
    while (next < REQUESTS) {
      next++
      const status = await client.post(url)
      if (status !== 200) throw new Error(`${client.name}: the receiver answered ${status}`)
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  return { rate: (REQUESTS / ms) * 1000, cpuUs: (cpu.user + cpu.system) / REQUESTS }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

async function main(): Promise<void> {
  const endpoint = fork(join(here, 'endpoint.ts'), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  // Also when a client throws: the receiver must not outlive the benchmark.
  process.on('exit', () => endpoint.kill())
  const { port } = await new Promise<{ port: number }>((resolve) => endpoint.once('message', resolve as never))
  const url = `http://127.0.0.1:${port}/hook`
  const guard = () => new SsrfGuard(DEV_ALLOW_HOSTS)
  const clients: Client[] = [
    senderClient('sender', new Sender(guard())),
    senderClient('sender+sign', new Sender(guard()), true),
    undiciClient(),
    dispatchClient(),
    nodeHttpClient(),
  ]
  const other = process.env.BENCH_SENDER_MODULE
  if (other) {
    const module = (await import(other)) as { Sender: new (guard: SsrfGuard) => Sender }
    clients.push(senderClient(`sender (${other})`, new module.Sender(guard())))
  }
  const results = new Map<string, { rate: number; cpuUs: number }[]>(clients.map((client) => [client.name, []]))
  const loads: number[] = []
  for (let round = 0; round <= ROUNDS; round++) {
    const order = clients.map((_, i) => clients[(i + round) % clients.length]!)
    const line: string[] = []
    for (const client of order) {
      const result = await run(client, url)
      if (round > 0) results.get(client.name)!.push(result)
      line.push(`${client.name} ${result.rate.toFixed(0)}/s ${result.cpuUs.toFixed(0)} µs`)
    }
    loads.push(loadavg()[0]!)
    console.error(`${round === 0 ? 'warm-up' : `round ${round}`}: ${line.join(' · ')}`)
  }
  const ratio = (name: string, baseline: string, key: 'rate' | 'cpuUs') =>
    median(results.get(name)!.map((r, i) => r[key] / results.get(baseline)![i]![key]))
  console.log(
    `\nSender alone, ${REQUESTS} POSTs of ${body.length} B a round, ${IN_FLIGHT} in flight, medians of ${ROUNDS} rounds ` +
      `(${cpus().length} cores, Node ${process.versions.node}, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}):`,
  )
  console.log('| client | requests/s | ÷ undici | ÷ dispatch | ÷ node:http | client CPU per request | CPU ÷ undici |')
  console.log('|---|---|---|---|---|---|---|')
  for (const { name } of clients) {
    const rows = results.get(name)!
    console.log(
      `| ${name} | ${median(rows.map((r) => r.rate)).toFixed(0)} | ${(ratio(name, 'undici', 'rate') * 100).toFixed(0)}% | ` +
        `${(ratio(name, 'dispatch', 'rate') * 100).toFixed(0)}% | ` +
        `${(ratio(name, 'node:http', 'rate') * 100).toFixed(0)}% | ${median(rows.map((r) => r.cpuUs)).toFixed(1)} µs | ` +
        `${ratio(name, 'undici', 'cpuUs').toFixed(2)}× |`,
    )
  }
  if (other) {
    const name = `sender (${other})`
    console.log(
      `\nsender ÷ ${name}: requests/s ${(ratio('sender', name, 'rate') * 100).toFixed(0)}%, ` +
        `CPU per request ${ratio('sender', name, 'cpuUs').toFixed(2)}× (medians of the rounds' ratios)`,
    )
  }
  for (const client of clients) client.close()
  endpoint.kill()
}

await main()
