/**
 * The load generator, in its own process: signed inbound webhooks at a steady rate (open loop: it
 * does not wait for answers before sending the next), each carrying its send time as `$.t`.
 */
import { Agent, request } from 'node:http'
import { sign } from '@hookline/protocol'
import { now } from './clock.ts'

interface Run {
  type: 'run'
  url: string
  secret: string
  ratePerSecond: number
  durationMs: number
  /** Session ids to target in turn; none for a broadcast listener. */
  sessions?: string[]
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 })

async function send(run: Run, n: number, statuses: Map<number, number>, answerMs: number[]): Promise<void> {
  const body: Record<string, unknown> = { t: now() }
  if (run.sessions) body.session = run.sessions[(n * 7919) % run.sessions.length]
  const text = JSON.stringify(body)
  const headers = await sign(
    run.secret,
    `msg_bench_${process.pid}_${Date.now()}_${n}`,
    Math.floor(Date.now() / 1000),
    text,
  )
  const status = await new Promise<number>((resolve) => {
    const req = request(
      run.url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', () => resolve(0))
    req.end(text)
  })
  statuses.set(status, (statuses.get(status) ?? 0) + 1)
  answerMs.push(now() - (body.t as number))
}

async function execute(run: Run): Promise<void> {
  const statuses = new Map<number, number>()
  const answerMs: number[] = []
  const pending: Promise<void>[] = []
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  let sent = 0
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started
      const due = Math.min(
        Math.floor((elapsed / 1000) * run.ratePerSecond),
        Math.floor((run.durationMs / 1000) * run.ratePerSecond),
      )
      while (sent < due) pending.push(send(run, sent++, statuses, answerMs))
      if (elapsed >= run.durationMs) {
        clearInterval(timer)
        resolve()
      }
    }, 2)
  })
  await Promise.all(pending)
  const usage = process.cpuUsage(cpuBefore)
  const cpuPercent = Math.round((100 * (usage.user + usage.system)) / 1000 / (performance.now() - started))
  answerMs.sort((a, b) => a - b)
  const at = (p: number) => Number((answerMs[Math.floor((p / 100) * (answerMs.length - 1))] ?? NaN).toFixed(2))
  // How long the relay took to answer (202), apart from the frames: tells the inbound path from the fan-out.
  process.send!({
    type: 'done',
    sent,
    statuses: Object.fromEntries(statuses),
    answer: { p50: at(50), p99: at(99) },
    cpuPercent,
  })
}

process.on('message', (message: Run | { type: 'close' }) => {
  if (message.type === 'run') void execute(message)
  else process.exit(0)
})
process.send!({ type: 'started' })
