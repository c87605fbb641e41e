// The webhook endpoint of the relay benchmark, in its own process: answers 200 at once, counts
// arrivals (all, and distinct by `webhook-id`, since a retaken delivery may arrive twice) and measures
// event-to-endpoint latency from `data.sentAt` (epoch ms with a fraction).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const now = () => performance.timeOrigin + performance.now()
let count = 0
let first = 0
let last = 0
let latencies: number[] = []
const ids = new Set<string>()

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const at = now()
    if (count === 0) first = at
    last = at
    count++
    const id = req.headers['webhook-id']
    if (typeof id === 'string') ids.add(id)
    const text = Buffer.concat(chunks).toString()
    const sentAt = /"sentAt":([\d.]+)/.exec(text)
    if (sentAt) latencies.push(at - Number(sentAt[1]))
    res.writeHead(200, { 'content-length': '0' })
    res.end()
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => process.send!({ type: 'ready', port: (server.address() as AddressInfo).port }))

process.on('message', (message: { type: string; ask?: number }) => {
  if (message.type === 'reset') {
    count = 0
    first = last = 0
    latencies = []
    ids.clear()
    process.send!({ type: 'reset', ask: message.ask })
  } else if (message.type === 'report') {
    process.send!({ type: 'report', ask: message.ask, count, distinct: ids.size, first, last, latencies })
  } else if (message.type === 'exit') process.exit(0)
})
