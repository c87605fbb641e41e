/** The stream benchmark's plumbing: child processes, their IPC replies, and the arithmetic of the figures. */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const children: ChildProcess[] = []
process.on('exit', () => {
  for (const child of children) child.kill()
})

/** Forks `file` (next to this one) with `extra` Node flags; a child that dies ends the run. */
export function start(file: string, extra: string[] = []): ChildProcess {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), {
    execArgv: [...process.execArgv, ...extra],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.push(child)
  // Its replies would never come.
  child.on('exit', (code) => code && process.exit(1))
  return child
}

/** Sends `message` (unless null) and resolves with the first reply of type `reply`. */
export function ask<T = Record<string, any>>(
  child: ChildProcess,
  message: object | null,
  reply: string,
  timeoutMs = 120_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no "${reply}" within ${timeoutMs} ms`))
    }, timeoutMs)
    const onMessage = (received: { type?: string }) => {
      if (received.type !== reply) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve(received as T)
    }
    child.on('message', onMessage)
    if (message) child.send(message)
  })
}

export async function admin(base: string, token: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

export const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN
export const round = (value: number, digits = 1) => Number(value.toFixed(digits))

/** A process's memory after a full collection (see relay.ts and raw.ts). */
export interface Memory {
  rss: number
  heapUsed: number
  external: number
  connections: number
}

/** Memory per connection between two readings. */
export function perConnection(from: Memory, to: Memory, connections: number) {
  return {
    heapAndBuffersKiB: round((to.heapUsed + to.external - from.heapUsed - from.external) / connections / 1024, 2),
    rssKiB: round((to.rss - from.rss) / connections / 1024, 2),
  }
}
