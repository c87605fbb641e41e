// What the relay benchmarks share (`run.ts` on SQLite, `postgres.ts`): the endpoint and load
// generator as child processes, relay nodes started through the CLI, the admin calls, and medians.
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'

export const ADMIN_TOKEN = 'bench-admin-token-0000000000'
const here = new URL('.', import.meta.url).pathname
/** Every process started here, to be killed when the benchmark ends. */
export const children: ChildProcess[] = []

/** A helper of this folder (`endpoint.ts`, `load.ts`) in its own process; resolves with its ready message. */
export function child(file: string): Promise<{ process: ChildProcess; ready: any }> {
  const proc = fork(join(here, file), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  children.push(proc)
  return new Promise((resolve) => proc.once('message', (ready) => resolve({ process: proc, ready })))
}

let asked = 0

/**
 * Sends a helper a message and waits for its answer of type `expect` (or its error, or its death).
 * Each question carries a number its answer echoes: two questions to one helper at once (the two
 * nodes' ingests) must each get their own answer, not both the first, nor a later one a stale one.
 */
export function ask(proc: ChildProcess, message: object, expect = 'done'): Promise<any> {
  const id = ++asked
  return new Promise((resolve, reject) => {
    const died = (code: number | null) =>
      reject(new Error(`${proc.spawnargs.at(-1)} exited (${code}) before answering`))
    const listen = (reply: any) => {
      if (reply.ask !== id) return
      if (reply.type === 'error') reject(new Error(reply.message))
      else if (reply.type === expect) resolve(reply.result ?? reply)
      else return
      proc.off('message', listen)
      proc.off('exit', died)
    }
    proc.on('message', listen)
    proc.once('exit', died)
    proc.send({ ...message, ask: id })
  })
}

/**
 * A relay node through its CLI (`start --dev --port 0`), rate limits out of the way, `env` added.
 * BENCH_PROFILE=dir writes a CPU profile of each node there; BENCH_RELAY_LOG=file appends their logs.
 * `checkout` runs the relay of another tree (with its own node_modules/@hookline links).
 */
export function startRelay(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  /** Another checkout whose relay to run (an A/B of two trees in one run); this one by default. */
  checkout = join(here, '../..'),
): Promise<{ proc: ChildProcess; url: string }> {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []
  const cli = join(checkout, 'packages/relay/src/cli.ts')
  const proc = spawn(process.execPath, [...profile, '--import', 'tsx', cli, 'start', '--dev', '--port', '0', ...args], {
    env: {
      ...process.env,
      HOOKLINE_ADMIN_TOKEN: ADMIN_TOKEN,
      HOOKLINE_RATE_LIMIT: '100000:100000',
      HOOKLINE_EVENT_RATE_LIMIT: '10000000:10000000',
      ...env,
    },
    stdio: ['ignore', process.env.BENCH_RELAY_LOG ? 'pipe' : 'ignore', 'pipe'],
  })
  const logFile = process.env.BENCH_RELAY_LOG
  if (logFile) proc.stdout!.on('data', (chunk: Buffer) => appendFileSync(logFile, chunk))
  children.push(proc)
  return new Promise((resolve, reject) => {
    let output = ''
    proc.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Hookline relay on (\S+)/.exec(output)
      if (match) resolve({ proc, url: match[1]! })
    })
    proc.once('exit', (code) => reject(new Error(`relay exited ${code}: ${output}`)))
  })
}

export async function admin(url: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** A relay's /metrics text (it needs the admin token). */
export async function relayMetrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text()
}

/** A project with one webhook to `endpointUrl` for every event; answers the project as created. */
export async function projectWithWebhook(relayUrl: string, name: string, endpointUrl: string): Promise<any> {
  const project = await admin(relayUrl, '/v1/projects', { name })
  await admin(relayUrl, `/v1/projects/${project.project.id}/webhooks`, {
    name: 'bench',
    url: endpointUrl,
    events: ['*'],
  })
  return project
}

/**
 * Polls the endpoint until `count` deliveries arrived, or with `distinct` that many different
 * `webhook-id`s (repeats not counted); answers its report (count, distinct, first, last, latencies).
 */
export async function waitForArrivals(
  endpoint: ChildProcess,
  count: number,
  timeoutMs: number,
  by: 'count' | 'distinct' = 'count',
): Promise<any> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const report = await ask(endpoint, { type: 'report' }, 'report')
    if (report[by] >= count) return report
    if (Date.now() > deadline)
      throw new Error(`only ${report[by]} of ${count} deliveries (${by}) arrived in ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
