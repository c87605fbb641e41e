import { afterAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { postgresSchema } from './helpers/postgres.ts'
import { startTestRelay, type TestRelay } from './helpers/relay.ts'
import { openStream, type StreamReader } from './helpers/stream-reader.ts'

// Inbound webhooks and the stream on the PostgreSQL dialect, in a schema of this file's own.
const { databaseUrl, drop } = postgresSchema('stream_test')
let relay: TestRelay | undefined
let other: TestRelay | undefined
const open: StreamReader[] = []

afterAll(async () => {
  for (const stream of open) stream.close()
  await relay?.close()
  await other?.close()
  await drop()
})

describe('inbound and stream on PostgreSQL', () => {
  it('delivers, dedupes, and replays missed frames across a restart', async () => {
    relay = await startTestRelay({ databaseUrl })
    const { projectId, keys } = await relay.createProject()
    const { listener, secret } = (
      await relay.admin('POST', `/v1/projects/${projectId}/listeners`, {
        name: 'orders',
        set: { orderStatus: '$.status' },
        target: { session: '$.session' },
      })
    ).body
    const inbound = async (status: string, id = newId('msg')) => {
      const text = JSON.stringify({ status, session: 'ses_pg' })
      const headers = await sign(secret, id, Math.floor(Date.now() / 1000), text)
      return relay!.request(listener.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      })
    }
    const streamUrl = await relay.streamPath(keys.test, 'ses_pg')

    const first = await openStream(relay.url, streamUrl)
    open.push(first)
    expect((await inbound('one', 'msg_pg_1')).status).toBe(202)
    expect((await inbound('one', 'msg_pg_1')).body).toEqual({ duplicate: true, id: 'msg_pg_1' })
    const [seen] = await first.waitForFrames(1)
    first.close()

    for (const status of ['a', 'b', 'c']) expect((await inbound(status)).status).toBe(202)
    await relay.close()
    relay = await startTestRelay({ databaseUrl })
    const again = await openStream(relay.url, `${streamUrl}&lastEventId=${seen!.id}`)
    open.push(again)
    await again.waitForFrames(3)
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(again.frames.map((frame) => JSON.parse(frame.data).set.orderStatus)).toEqual(['a', 'b', 'c'])
    expect(first.frames).toHaveLength(1)
  })
})

describe('several relay nodes on one PostgreSQL', () => {
  it('carries frames to the node that holds the browser, by LISTEN/NOTIFY', async () => {
    relay ??= await startTestRelay({ databaseUrl })
    other = await startTestRelay({ databaseUrl })
    const { projectId, keys } = await relay.createProject()
    const { listener, secret } = (
      await relay.admin('POST', `/v1/projects/${projectId}/listeners`, {
        name: 'all',
        set: { note: '$.note' },
        target: 'broadcast',
      })
    ).body
    const onOther = await openStream(other.url, await relay.streamPath(keys.test, 'ses_node_b'))
    const onRelay = await openStream(relay.url, await relay.streamPath(keys.test, 'ses_node_a'))
    open.push(onOther, onRelay)
    await new Promise((resolve) => setTimeout(resolve, 50))

    const small = JSON.stringify({ note: 'hello' })
    const large = JSON.stringify({ note: 'x'.repeat(20_000) })
    for (const text of [small, large]) {
      const headers = await sign(secret, newId('msg'), Math.floor(Date.now() / 1000), text)
      expect(
        (
          await relay.request(listener.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: text,
          })
        ).status,
      ).toBe(202)
    }
    relay.context.frames.delivery(projectId, 'ses_node_b', {
      eventId: 'evt_x',
      webhookId: 'wh_x',
      attempt: 1,
      status: 200,
      ok: true,
      latencyMs: 3,
    })

    const frames = await onOther.waitForFrames(3)
    const notes = frames
      .filter((frame) => frame.event === 'vars')
      .map((frame) => JSON.parse(frame.data).set.note.length)
    expect(notes.sort((a, b) => a - b)).toEqual([5, 20_000])
    expect(frames.some((frame) => frame.event === 'delivery' && JSON.parse(frame.data).eventId === 'evt_x')).toBe(true)
    expect((await onRelay.waitForFrames(2)).map((frame) => frame.event)).toEqual(['vars', 'vars'])
  })
})
