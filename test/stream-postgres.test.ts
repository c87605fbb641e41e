import { userInfo } from 'node:os'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { startTestRelay, type TestRelay } from './helpers/relay.ts'
import { openStream, type StreamReader } from './helpers/stream-reader.ts'

// Inbound webhooks and the stream on the PostgreSQL dialect, in a schema of this file's own.
const SERVER = process.env.HOOKLINE_TEST_PG ?? 'postgres://127.0.0.1:5432/test'
const schema = `stream_test_${process.pid}_${Date.now()}`
const databaseUrl = `${SERVER}?schema=${schema}`
let relay: TestRelay | undefined
const open: StreamReader[] = []

afterAll(async () => {
  for (const stream of open) stream.close()
  await relay?.close()
  const url = new URL(SERVER)
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
})

describe('inbound and stream on PostgreSQL', () => {
  it('delivers, dedupes, and replays missed frames across a restart', async () => {
    relay = await startTestRelay({ databaseUrl })
    const { projectId, keys } = await relay.createProject()
    const { listener, secret } = (await relay.admin('POST', `/v1/projects/${projectId}/listeners`, { name: 'orders', set: { orderStatus: '$.status' }, target: { session: '$.session' } })).body
    const inbound = async (status: string, id = newId('msg')) => {
      const text = JSON.stringify({ status, session: 'ses_pg' })
      const headers = await sign(secret, id, Math.floor(Date.now() / 1000), text)
      return relay!.request(listener.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text })
    }
    const streamUrl = `/v1/stream?session=ses_pg&key=${keys.test}`

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
