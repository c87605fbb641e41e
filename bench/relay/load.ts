// The load generator of the relay benchmark, in its own process. The same HTTP client posts
// batches to the relay and, for the raw baseline, single events straight to the endpoint.
import http from 'node:http'
import { newId } from '@hookline/protocol'

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
const now = () => performance.timeOrigin + performance.now()

// A keep-alive socket the server closes just as a request goes out resets; sending again is safe
// (ingest deduplicates by event id), so each request gets one more try.
async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  try {
    return await postOnce(url, body, headers)
  } catch (error) {
    if ((error as { code?: string }).code !== 'ECONNRESET') throw error
    return postOnce(url, body, headers)
  }
}

function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const SESSION = 'ses_benchsession0001'

// The relay takes events only for sessions claimed with POST /v1/sessions, with the session's
// token beside them in every batch: claimed once per key, as the SDK does at start. Once per key,
// not per relay: the nodes of one PostgreSQL database share the claim (a second claim of the same
// id would be refused), and relays with stores of their own have projects, so keys, of their own.
const tokens = new Map<string, Promise<string>>()
function sessionToken(url: string, key: string): Promise<string> {
  let token = tokens.get(key)
  if (!token) {
    token = post(`${url}/v1/sessions`, JSON.stringify({ id: SESSION }), { authorization: `Bearer ${key}` }).then(
      (res) => {
        if (res.status !== 201) throw new Error(`claiming ${SESSION} answered ${res.status}: ${res.text.slice(0, 300)}`)
        return (JSON.parse(res.text) as { token: string }).token
      },
    )
    tokens.set(key, token)
  }
  return token
}

function event(props: Record<string, unknown> = {}) {
  return {
    id: newId('evt'),
    name: 'checkout-completed',
    ts: new Date().toISOString(),
    sessionId: SESSION,
    screen: 'checkout',
    props: { total: 42, currency: 'EUR', ...props },
  }
}

function batchBody(size: number, token: string, props?: () => Record<string, unknown>): string {
  return JSON.stringify({
    sentAt: new Date().toISOString(),
    sessionTokens: { [SESSION]: token },
    events: Array.from({ length: size }, () => event(props?.())),
  })
}

/** Posts `batches` batches of `size` events with `concurrency` requests in flight; every id must be accepted. */
async function ingest(url: string, key: string, batches: number, size: number, concurrency: number) {
  let next = 0
  let accepted = 0
  let duplicates = 0
  // What the 202 answers promised: deliveries per event, summed (docs/api.md `deliveries`).
  let fannedOut = 0
  const token = await sessionToken(url, key)
  const started = now()
  const worker = async () => {
    while (next < batches) {
      next++
      const res = await post(`${url}/v1/events`, batchBody(size, token), { authorization: `Bearer ${key}` })
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${res.text.slice(0, 300)}`)
      const answer = JSON.parse(res.text) as {
        accepted: string[]
        duplicates: string[]
        rejected: { error: unknown }[]
        deliveries: Record<string, number>
      }
      if (answer.rejected.length > 0) throw new Error(`ingest rejected events: ${JSON.stringify(answer.rejected[0])}`)
      accepted += answer.accepted.length
      duplicates += answer.duplicates.length
      for (const id of answer.accepted) fannedOut += answer.deliveries[id] ?? 0
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { accepted, duplicates, fannedOut, ms: now() - started }
}

/** Posts `count` webhook-sized bodies straight to the endpoint, `concurrency` at a time. */
async function raw(url: string, count: number, concurrency: number) {
  const body = JSON.stringify({
    id: newId('evt'),
    type: 'checkout-completed',
    timestamp: new Date().toISOString(),
    projectId: 'prj_x',
    environment: 'test',
    session: { id: 'ses_benchsession0001', screen: 'checkout' },
    data: { total: 42, currency: 'EUR' },
    vars: {},
  })
  let next = 0
  const started = now()
  const worker = async () => {
    while (next < count) {
      next++
      const res = await post(url, body)
      if (res.status !== 200) throw new Error(`endpoint answered ${res.status}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { count, ms: now() - started }
}

/** `rate` events/s for `seconds`, as a batch of `size` every size/rate seconds; each event carries its send time. */
async function steady(url: string, key: string, rate: number, seconds: number, size: number) {
  const interval = (1000 * size) / rate
  const total = Math.round((rate * seconds) / size)
  const token = await sessionToken(url, key)
  const started = now()
  const pending: Promise<unknown>[] = []
  for (let i = 0; i < total; i++) {
    const due = started + i * interval
    const wait = due - now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const body = batchBody(size, token, () => ({ sentAt: now() }))
    pending.push(post(`${url}/v1/events`, body, { authorization: `Bearer ${key}` }))
  }
  await Promise.all(pending)
  return { events: total * size, ms: now() - started }
}

async function onMessage(message: any): Promise<void> {
  try {
    if (message.type === 'ingest')
      process.send!({
        type: 'done',
        ask: message.ask,
        result: await ingest(message.url, message.key, message.batches, message.size, message.concurrency),
      })
    else if (message.type === 'raw')
      process.send!({
        type: 'done',
        ask: message.ask,
        result: await raw(message.url, message.count, message.concurrency),
      })
    else if (message.type === 'steady')
      process.send!({
        type: 'done',
        ask: message.ask,
        result: await steady(message.url, message.key, message.rate, message.seconds, message.size),
      })
    else if (message.type === 'exit') process.exit(0)
  } catch (error) {
    process.send!({ type: 'error', ask: message.ask, message: String((error as Error).stack ?? error) })
  }
}

process.on('message', (message: any) => void onMessage(message))
process.send!({ type: 'ready' })
