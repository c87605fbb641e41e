import { fork, type ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Guards issue 12's memory per idle stream: the relay's JS heap and buffers, after full
 * collections, grow by less than a bound per open stream. An idle stream is its socket, its client
 * and a few entries in the hub's sets (≈ 2 KiB at 3,000 here); a per-stream leak of the request's objects (its
 * Hono context, request, response, headers: ≈ 7 KiB, as a closure over the route handler once kept)
 * would pass the bound at once. The relay runs in its own process so its heap holds no test sockets.
 */
const STREAMS = 3000
const WARM_UP = 1000
const BOUND_BYTES_PER_STREAM = 4 * 1024

let relay: ChildProcess
let port: number
const sockets: Socket[] = []

function ask<T>(message: object | null, reply: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${reply}" from the relay`)), 60_000)
    const onMessage = (received: { type: string }) => {
      if (received.type !== reply) return
      clearTimeout(timer)
      relay.off('message', onMessage)
      resolve(received as T)
    }
    relay.on('message', onMessage)
    if (message) relay.send(message)
  })
}

/** Opens the streams 100 at a time; each resolves once its response head is read. */
async function open(paths: string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += 100) {
    await Promise.all(
      paths.slice(i, i + 100).map(
        (path) =>
          new Promise<void>((resolve, reject) => {
            const socket = connect({ host: '127.0.0.1', port })
            sockets.push(socket)
            socket.once('data', (head) => {
              if (head.toString('latin1').startsWith('HTTP/1.1 200')) resolve()
              else reject(new Error(`stream refused: ${head.toString('latin1', 0, 200)}`))
            })
            socket.once('error', reject)
            socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`)
          }),
      ),
    )
  }
}

const sessions = (from: number, count: number) => Array.from({ length: count }, (_, i) => `ses_memory${from + i}`)
const memory = () => ask<{ heapAndBuffers: number; connections: number }>({ type: 'memory' }, 'memory')

beforeAll(async () => {
  relay = fork(fileURLToPath(new URL('./helpers/stream-memory-relay.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  port = (await ask<{ port: number }>(null, 'started')).port
}, 60_000)
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  const exited = new Promise((resolve) => relay.once('exit', resolve))
  relay.send({ type: 'close' })
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
  relay.kill()
})

describe('memory per idle stream', () => {
  it(`stays under ${BOUND_BYTES_PER_STREAM / 1024} KiB of heap and buffers a stream at ${STREAMS} streams`, async () => {
    // The first streams compile the stream path and fill the caches; they are not counted.
    await open((await ask<{ paths: string[] }>({ type: 'claim', sessions: sessions(0, WARM_UP) }, 'claimed')).paths)
    // Claimed before the first reading: a session's claim is not the stream's memory.
    const { paths } = await ask<{ paths: string[] }>({ type: 'claim', sessions: sessions(WARM_UP, STREAMS) }, 'claimed')
    const before = await memory()
    await open(paths)
    const after = await memory()
    expect(after.connections - before.connections).toBe(STREAMS)
    const perStream = (after.heapAndBuffers - before.heapAndBuffers) / STREAMS
    expect(perStream).toBeGreaterThan(0)
    expect(perStream, `${Math.round(perStream)} B a stream`).toBeLessThan(BOUND_BYTES_PER_STREAM)
  }, 120_000)
})
