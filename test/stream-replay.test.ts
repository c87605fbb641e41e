import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { startTestRelay, type TestProject, type TestRelay } from './helpers/relay.ts'
import { openStream, type StreamReader } from './helpers/stream-reader.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'hookline-replay-'))
let relay: TestRelay
let project: TestProject
let listener: { listener: { id: string; url: string }; secret: string }
let broadcaster: { listener: { id: string; url: string }; secret: string }
const open: StreamReader[] = []

beforeAll(async () => {
  relay = await startTestRelay({ dataDir })
  project = await relay.createProject()
  listener = (
    await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
      name: 'orders',
      set: { orderStatus: '$.status' },
      target: { session: '$.session' },
    })
  ).body
  broadcaster = (
    await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
      name: 'news',
      set: { banner: '$.text' },
      target: 'broadcast',
    })
  ).body
})
afterEach(() => {
  for (const stream of open.splice(0)) stream.close()
})
afterAll(async () => {
  await relay.close()
  rmSync(dataDir, { recursive: true, force: true })
})

// Kept here rather than in the relay helper, so a session claimed before a restart keeps its token after it.
const tokens = new Map<string, string>()
async function stream(session: string, query = '', headers: Record<string, string> = {}): Promise<StreamReader> {
  const token = tokens.get(session) ?? (await relay.sessionToken(project.keys.test, session))
  tokens.set(session, token)
  const path = `/v1/stream?session=${session}&key=${project.keys.test}&token=${token}${query}`
  const reader = await openStream(relay.url, path, headers)
  expect(reader.status).toBe(200)
  open.push(reader)
  return reader
}

async function inbound(to: typeof listener, body: unknown): Promise<number> {
  const text = JSON.stringify(body)
  const headers = await sign(to.secret, newId('msg'), Math.floor(Date.now() / 1000), text)
  const res = await relay.request(to.listener.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  })
  expect(res.status).toBe(202)
  return res.body.seq
}

const statuses = (reader: StreamReader) =>
  reader.frames.map((frame) => JSON.parse(frame.data).set.orderStatus ?? JSON.parse(frame.data).set.banner)
const settle = () => new Promise((resolve) => setTimeout(resolve, 150))

describe('Last-Event-ID replay', () => {
  it('replays exactly the frames missed while disconnected, in order, once', async () => {
    const first = await stream('ses_replay1')
    await inbound(listener, { status: 'one', session: 'ses_replay1' })
    const [seen] = await first.waitForFrames(1)
    first.close()
    await first.ended
    await inbound(listener, { status: 'two', session: 'ses_replay1' })
    await inbound(listener, { status: 'other-session', session: 'ses_someone_else' })
    await inbound(broadcaster, { text: 'three' })
    await inbound(listener, { status: 'four', session: 'ses_replay1' })

    const again = await stream('ses_replay1', '', { 'last-event-id': seen!.id! })
    await again.waitForFrames(3)
    await settle()
    expect(statuses(again)).toEqual(['two', 'three', 'four'])
    const ids = again.frames.map((frame) => Number(frame.id))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(ids[0]).toBeGreaterThan(Number(seen!.id))

    // Live frames follow the replay without a gap or a repeat.
    await inbound(listener, { status: 'five', session: 'ses_replay1' })
    await again.waitForFrames(4)
    await settle()
    expect(statuses(again)).toEqual(['two', 'three', 'four', 'five'])
  })

  it('resumes a session that disconnected before its first frame, from the cursor sent on connect', async () => {
    const first = await stream('ses_cursor')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(first.lastEventId).toMatch(/^\d+$/)
    first.close()
    await inbound(listener, { status: 'while-away', session: 'ses_cursor' })
    const again = await stream('ses_cursor', `&lastEventId=${first.lastEventId}`)
    await again.waitForFrames(1)
    expect(statuses(again)).toEqual(['while-away'])
  })

  it('prefers the Last-Event-ID header over the lastEventId query (EventSource reconnects with the URL it started with)', async () => {
    const before = await inbound(listener, { status: 'old', session: 'ses_header' })
    const latest = await inbound(listener, { status: 'new', session: 'ses_header' })
    const reader = await stream('ses_header', `&lastEventId=${before - 1}`, { 'last-event-id': String(latest - 1) })
    await reader.waitForFrames(1)
    await settle()
    expect(statuses(reader)).toEqual(['new'])
  })

  it('loses none of the missed frames across a relay restart', async () => {
    const first = await stream('ses_restart')
    await inbound(listener, { status: 'before', session: 'ses_restart' })
    const [seen] = await first.waitForFrames(1)
    first.close()
    for (const status of ['a', 'b', 'c']) await inbound(listener, { status, session: 'ses_restart' })
    await relay.close()
    relay = await startTestRelay({ dataDir })

    const again = await stream('ses_restart', `&lastEventId=${seen!.id}`)
    await again.waitForFrames(3)
    await settle()
    expect(statuses(again)).toEqual(['a', 'b', 'c'])
  })

  it('replays a large backlog over several connections, each frame once, in order', async () => {
    const first = await stream('ses_backlog')
    await inbound(listener, { status: 'start', session: 'ses_backlog' })
    const [seen] = await first.waitForFrames(1)
    first.close()
    const filler = 'y'.repeat(40 * 1024)
    for (let i = 0; i < 10; i++) await inbound(listener, { status: `${i}:${filler}`, session: 'ses_backlog' })

    const received: string[] = []
    let lastEventId = seen!.id!
    let connection = 0
    for (; connection < 10 && received.length < 10; connection++) {
      const reader = await stream('ses_backlog', `&lastEventId=${lastEventId}`)
      await Promise.race([reader.ended, settle()])
      received.push(...statuses(reader).map((status: string) => status.split(':')[0]!))
      if (reader.frames.length) lastEventId = reader.frames.at(-1)!.id!
      reader.close()
    }
    expect(received).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    // 400 KiB of frames, at most 128 KiB a connection: the relay ended each and the client resumed.
    expect(connection).toBeGreaterThanOrEqual(4)
  })

  it('forgets frames after the retention period', async () => {
    const first = await stream('ses_prune')
    await inbound(listener, { status: 'kept', session: 'ses_prune' })
    const [seen] = await first.waitForFrames(1)
    first.close()
    await inbound(listener, { status: 'pruned', session: 'ses_prune' })
    await relay.context.hub!.prune(Date.now() + 25 * 60 * 60 * 1000)
    const again = await stream('ses_prune', `&lastEventId=${Number(seen!.id)}`)
    await settle()
    expect(again.frames).toEqual([])
  })
})
