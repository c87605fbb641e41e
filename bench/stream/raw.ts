/**
 * The baseline of the stream benchmark, in its own process: the least any server can do to fan a
 * frame out to the same connections. A bare `net` server answers each stream request with the SSE
 * head and holds the socket (no HTTP server, no hub, no storage, no inbound request); at the same
 * rate as the load generator it stamps a frame (`$.t`, as the load generator stamps an inbound
 * body) and writes it to every socket, one write per socket per tick, the frames of late ticks
 * joined into that one write. Its latencies and its memory per socket are what the relay's are
 * compared with, in the same run and on the same clients.
 */
import { createServer, type Socket } from 'node:net'
import { now } from './clock.ts'
import { settledMemory } from '../../test/helpers/settled-memory.ts'

type Command = { type: 'run'; ratePerSecond: number; durationMs: number } | { type: 'memory' } | { type: 'close' }

const HEAD = Buffer.from(
  'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n',
)
const sockets = new Set<Socket>()
const server = createServer((socket) => {
  socket.on('error', () => {})
  socket.once('data', () => {
    socket.write(HEAD)
    sockets.add(socket)
  })
  socket.once('close', () => sockets.delete(socket))
})

let seq = 0
function frame(): Buffer {
  seq++
  return Buffer.from(
    `event: vars\nid: ${seq}\ndata: {"set":{"t":${now()}},"source":{"kind":"inbound","id":"lst_raw00000000000000000000"}}\n\n`,
  )
}

/** Frames at `ratePerSecond` for `durationMs`; a tick that comes late writes every frame due, joined. */
async function run(ratePerSecond: number, durationMs: number): Promise<{ sent: number; cpuPercent: number }> {
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const total = Math.floor((durationMs / 1000) * ratePerSecond)
  let sent = 0
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * ratePerSecond) + 1)
    const frames: Buffer[] = []
    for (; sent < due; sent++) frames.push(frame())
    const bytes = frames.length === 1 ? frames[0]! : Buffer.concat(frames)
    for (const socket of sockets) socket.write(bytes)
    const next = started + (sent / ratePerSecond) * 1000
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())))
  }
  const usage = process.cpuUsage(cpuBefore)
  return { sent, cpuPercent: Math.round((100 * (usage.user + usage.system)) / 1000 / (performance.now() - started)) }
}

/** Read as the relay's is: after full collections, once it holds still. */
async function memory() {
  const usage = await settledMemory()
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, connections: sockets.size }
}

process.on('message', (command: Command) => {
  if (command.type === 'run')
    void run(command.ratePerSecond, command.durationMs).then((result) => process.send!({ type: 'done', ...result }))
  else if (command.type === 'memory') void memory().then((usage) => process.send!({ type: 'memory', ...usage }))
  else process.exit(0)
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send!({ type: 'started', port: typeof address === 'object' && address ? address.port : 0 })
})
