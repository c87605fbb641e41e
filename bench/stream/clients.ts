/**
 * Stream clients for the benchmark, in their own process: opens SSE connections with raw sockets
 * (an EventSource per connection would measure the client, not the relay), and records, for each
 * `vars` frame, now − the send time the load generator put in the inbound body (`$.t`).
 * Driven by the parent over IPC: open, reset, collect, close.
 */
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { now } from './clock.ts'

type Command =
  | { type: 'open'; port: number; key: string; sessions: string[]; claim: boolean; address: string }
  | { type: 'reset' }
  | { type: 'collect' }
  | { type: 'count' }
  | { type: 'close' }

const sockets: Socket[] = []
let samples = new Float64Array(1 << 20)
let count = 0
let frames = 0

function record(latency: number): void {
  if (count === samples.length) {
    const bigger = new Float64Array(samples.length * 2)
    bigger.set(samples)
    samples = bigger
  }
  samples[count++] = latency
}

// Every read lands in this one buffer (net's `onread`): 10,000 sockets allocate nothing per read.
const readBuffer = Buffer.alloc(256 * 1024)
const T = Buffer.from('"t":')
const FRAME_END = Buffer.from('\n\n')
const HEAD_END = Buffer.from('\r\n\r\n')

/** Per connection: whether the response head is past, and an incomplete frame carried to the next read. */
interface ReadState {
  headDone: boolean
  rest: Buffer | null
  onHead(refusal: string | null): void
}

/** Reads frames off one connection; only the `"t":<ms>` of each frame is parsed. */
function onRead(state: ReadState, nread: number, buffer: Buffer): void {
  const received = now()
  let data = buffer.subarray(0, nread)
  if (state.rest) {
    data = Buffer.concat([state.rest, data])
    state.rest = null
  }
  if (!state.headDone) {
    const end = data.indexOf(HEAD_END)
    if (end < 0) return void (state.rest = Buffer.from(data))
    state.headDone = true
    state.onHead(data.subarray(0, 12).toString() === 'HTTP/1.1 200' ? null : data.subarray(0, 300).toString())
    data = data.subarray(end + 4)
  }
  const lastBreak = data.lastIndexOf(FRAME_END)
  if (lastBreak < 0) {
    if (data.length) state.rest = Buffer.from(data)
    return
  }
  if (lastBreak + 2 < data.length) state.rest = Buffer.from(data.subarray(lastBreak + 2))
  let at = data.indexOf(T)
  while (at >= 0 && at < lastBreak) {
    const end = data.indexOf(125, at) // '}'
    record(received - Number(data.toString('latin1', at + 4, end)))
    frames++
    at = data.indexOf(T, end)
  }
}

/**
 * Claims the session (POST /v1/sessions) and answers its token: the relay opens a session's stream
 * only with it, as the SDK does at start. The raw baseline takes any stream: it claims nothing.
 */
function claim(port: number, key: string, session: string, agent: Agent): Promise<string> {
  const body = JSON.stringify({ id: session })
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/sessions', method: 'POST', agent }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => {
        if (res.statusCode === 201) resolve((JSON.parse(text) as { token: string }).token)
        else reject(new Error(`claiming ${session} answered ${res.statusCode}: ${text.slice(0, 300)}`))
      })
    })
    req.setHeader('authorization', `Bearer ${key}`)
    req.setHeader('content-type', 'application/json')
    req.setHeader('content-length', Buffer.byteLength(body))
    req.on('error', reject)
    req.end(body)
  })
}

function openOne(port: number, key: string, session: string, token: string | null, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const state: ReadState = {
      headDone: false,
      rest: null,
      onHead: (refusal) => (refusal === null ? resolve() : reject(new Error(`stream refused: ${refusal}`))),
    }
    const socket = connect({
      host: '127.0.0.1',
      port,
      localAddress: address,
      onread: { buffer: readBuffer, callback: (nread, buffer) => (onRead(state, nread, buffer as Buffer), true) },
    })
    socket.once('error', reject)
    const query = new URLSearchParams({ session, key, ...(token === null ? {} : { token }) }).toString()
    socket.write(`GET /v1/stream?${query} HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n\r\n`)
    sockets.push(socket)
  })
}

/**
 * Opens the streams from `address` (each client process has its own loopback address: the relay
 * lets one address hold at most half its connections, and 10,000 streams are more than that).
 */
async function open(
  port: number,
  key: string,
  sessions: string[],
  claimFirst: boolean,
  address: string,
): Promise<void> {
  // A bounded number of handshakes in flight, so the relay's accept queue never overflows.
  let next = 0
  const agent = new Agent({ keepAlive: true, maxSockets: 64, localAddress: address })
  const worker = async () => {
    while (next < sessions.length) {
      const session = sessions[next++]!
      await openOne(port, key, session, claimFirst ? await claim(port, key, session, agent) : null, address)
    }
  }
  await Promise.all(Array.from({ length: 64 }, worker))
  agent.destroy()
}

process.on('message', (command: Command) => {
  if (command.type === 'open') {
    void open(command.port, command.key, command.sessions, command.claim, command.address).then(() =>
      process.send!({ type: 'opened', open: sockets.length }),
    )
  } else if (command.type === 'reset') {
    count = 0
    frames = 0
    const usage = process.cpuUsage()
    process.send!({ type: 'reset', cpuMs: (usage.user + usage.system) / 1000 })
  } else if (command.type === 'count') {
    process.send!({ type: 'count', frames })
  } else if (command.type === 'collect') {
    const usage = process.cpuUsage()
    process.send!({
      type: 'collected',
      frames,
      samples: samples.slice(0, count),
      cpuMs: (usage.user + usage.system) / 1000,
    })
  } else {
    for (const socket of sockets) socket.destroy()
    process.exit(0)
  }
})
process.send!({ type: 'started' })
