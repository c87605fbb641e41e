import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStorage } from '../storage/db.ts'
import { insertProject } from '../storage/projects.ts'
import { SecretBox } from '../storage/secret-box.ts'
import type { Storage } from '../storage/types.ts'
import { Hub } from './hub.ts'
import { streamFrameStore, type StreamFrameStore } from './store.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'hookline-hub-'))
let storage: Storage
let server: Server
const accepted: Socket[] = []

beforeAll(async () => {
  storage = await openStorage({ dataDir, secrets: new SecretBox(randomBytes(32), 'a test key') })
  await insertProject(storage.db, { id: 'prj_hub', name: 'hub', allowedOrigins: [] }, [
    { hash: 'hub-test-key', environment: 'test', hint: 'pk_test_hub' },
  ])
  server = createServer((socket) => accepted.push(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
})
afterAll(async () => {
  server.close()
  await storage.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** A connected pair: the relay's side, and what the browser's side has read so far. */
async function socketPair(): Promise<{ relaySide: Socket; read: () => string }> {
  let text = ''
  const browser = connect((server.address() as { port: number }).port, '127.0.0.1')
  browser.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
  await new Promise((resolve) => browser.once('connect', resolve))
  while (accepted.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  return { relaySide: accepted.shift()!, read: () => text }
}

/** Every buffer handed to these sockets' `write` from now on, in order. */
function recordWrites(sockets: Socket[]): Buffer[] {
  const writes: Buffer[] = []
  for (const socket of sockets) {
    const write = socket.write.bind(socket)
    socket.write = (chunk: Buffer, ...rest: never[]) => {
      writes.push(chunk)
      return write(chunk, ...rest)
    }
  }
  return writes
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Hub', () => {
  it('pings every open connection from one interval', async () => {
    const hub = new Hub({ store: streamFrameStore(storage.db), pingIntervalMs: 30 })
    const { relaySide, read } = await socketPair()
    await hub.open(relaySide, { projectId: 'prj_hub', environment: 'test' }, 'ses_ping', null)
    await wait(100)
    expect(read().split(': ping\n\n').length - 1).toBeGreaterThanOrEqual(2)
    await hub.close()
  })

  it('writes frames published during the replay after it, each once and in order', async () => {
    const real = streamFrameStore(storage.db)
    // The store answers the replay only after two more frames were committed and published.
    const during: { before?: () => Promise<void>; after?: () => Promise<void> } = {}
    const slowStore: StreamFrameStore = {
      ...real,
      async replay(projectId, environment, session, afterSeq) {
        await during.before?.()
        const answer = await real.replay(projectId, environment, session, afterSeq)
        await during.after?.()
        return answer
      },
    }
    const hub = new Hub({ store: slowStore })
    const frame = (n: number) =>
      hub.vars('prj_hub', { session: 'ses_race' }, { n }, { kind: 'inbound', id: 'lst_x' }, 'test')
    during.before = () => frame(2)
    during.after = () => frame(3)
    const first = await real.appendVars('prj_hub', 'ses_race', 'test', {
      set: { n: 1 },
      source: { kind: 'inbound', id: 'lst_x' },
    })
    const { relaySide, read } = await socketPair()
    await hub.open(relaySide, { projectId: 'prj_hub', environment: 'test' }, 'ses_race', first - 1)
    await hub.vars('prj_hub', { session: 'ses_race' }, { n: 4 }, { kind: 'inbound', id: 'lst_x' }, 'test')
    await wait(50)
    const numbers = [...read().matchAll(/"n":(\d)/g)].map((match) => Number(match[1]))
    expect(numbers).toEqual([1, 2, 3, 4])
    await hub.close()
  })

  it('encodes a broadcast once for all its connections', async () => {
    const hub = new Hub({ store: streamFrameStore(storage.db) })
    const pairs = await Promise.all([socketPair(), socketPair()])
    for (const [i, pair] of pairs.entries())
      await hub.open(pair.relaySide, { projectId: 'prj_hub', environment: 'test' }, `ses_once${i}`, null)
    const writes = recordWrites(pairs.map((pair) => pair.relaySide))
    await hub.vars('prj_hub', 'broadcast', { plan: 'pro' }, { kind: 'inbound', id: 'lst_b' }, 'test')
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toHaveLength(2)
    expect(writes[0]).toBe(writes[1])
    expect(writes[0]!.toString()).toMatch(
      /^event: vars\nid: \d+\ndata: \{"set":\{"plan":"pro"\},"source":\{"kind":"inbound","id":"lst_b"\}\}\n\n$/,
    )
    await hub.close()
  })

  it('sends a config frame to every open session of the project, and to no other project', async () => {
    const hub = new Hub({ store: streamFrameStore(storage.db) })
    const pairs = await Promise.all([socketPair(), socketPair(), socketPair()])
    await hub.open(pairs[0].relaySide, { projectId: 'prj_hub', environment: 'test' }, 'ses_cfg0', null)
    await hub.open(pairs[1].relaySide, { projectId: 'prj_hub', environment: 'test' }, 'ses_cfg1', null)
    await hub.open(pairs[2].relaySide, { projectId: 'prj_other', environment: 'test' }, 'ses_cfg2', null)
    await wait(50) // the cursor line each connection starts with
    const before = pairs.map((pair) => pair.read().length)
    hub.config('prj_hub', { events: [{ name: 'paid' }], variables: { plan: 'free' } })
    await wait(50)
    const frame = 'event: config\ndata: {"config":{"events":[{"name":"paid"}],"variables":{"plan":"free"}}}\n\n'
    expect(pairs.map((pair, i) => pair.read().slice(before[i]))).toEqual([frame, frame, ''])
    await hub.close()
  })

  it('sends the frames due for one connection in one system call when they arrive in the same turn', async () => {
    const hub = new Hub({ store: streamFrameStore(storage.db) })
    const { relaySide, read } = await socketPair()
    await hub.open(relaySide, { projectId: 'prj_hub', environment: 'test' }, 'ses_batch', null)
    // Every write reaches the socket through _write (one buffer) or _writev (several): count both.
    const written: Buffer[] = []
    const write = relaySide._write.bind(relaySide)
    relaySide._write = (chunk: Buffer, encoding, callback) => {
      written.push(chunk)
      write(chunk, encoding, callback)
    }
    const writev = relaySide._writev!.bind(relaySide)
    relaySide._writev = (chunks, callback) => {
      written.push(...chunks.map(({ chunk }) => chunk as Buffer))
      writev(chunks, callback)
    }
    for (let attempt = 1; attempt <= 3; attempt++)
      hub.delivery('prj_hub', 'ses_batch', {
        eventId: 'evt_b',
        webhookId: 'wh_b',
        attempt,
        status: 200,
        ok: true,
        latencyMs: 1,
      })
    await wait(50)
    expect(written).toHaveLength(1)
    expect([...read().matchAll(/"attempt":(\d)/g)].map((match) => Number(match[1]))).toEqual([1, 2, 3])
    await hub.close()
  })

  it('joins the frames several connections are due once, and writes the same buffer to each', async () => {
    const hub = new Hub({ store: streamFrameStore(storage.db) })
    const pairs = await Promise.all([socketPair(), socketPair(), socketPair()])
    for (const [i, pair] of pairs.entries())
      await hub.open(pair.relaySide, { projectId: 'prj_hub', environment: 'test' }, `ses_join${i}`, null)
    const writes = recordWrites(pairs.map((pair) => pair.relaySide))
    // Two broadcasts in one turn: every connection is due both frames at its flush.
    const source = { kind: 'inbound', id: 'lst_j' } as const
    hub.publishVars('prj_hub', null, 'test', 101, { set: { n: 1 }, source })
    hub.publishVars('prj_hub', null, 'test', 102, { set: { n: 2 }, source })
    await wait(50)
    expect(writes).toHaveLength(3)
    expect(writes[1]).toBe(writes[0])
    expect(writes[2]).toBe(writes[0])
    for (const pair of pairs)
      expect([...pair.read().matchAll(/id: (\d+)\ndata/g)].map((m) => m[1])).toEqual(['101', '102'])
    await hub.close()
  })

  it('forgets a connection that closed before its stream opened', async () => {
    const hub = new Hub({ store: streamFrameStore(storage.db) })
    const { relaySide } = await socketPair()
    relaySide.destroy()
    await hub.open(relaySide, { projectId: 'prj_hub', environment: 'test' }, 'ses_gone', null)
    expect(hub.connections).toBe(0)
    await hub.close()
  })
})
