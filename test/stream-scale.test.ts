import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import type { Hub } from '@hookline/relay'
import { startTestRelay, type TestProject, type TestRelay } from './helpers/relay.ts'
import { openStream, type StreamReader } from './helpers/stream-reader.ts'

let relay: TestRelay
let project: TestProject
let hub: Hub

beforeAll(async () => {
  relay = await startTestRelay()
  project = await relay.createProject()
  hub = relay.context.hub!
})
afterAll(async () => {
  await relay.close()
})

/**
 * A claimed session's stream path. Claimed in-process: a thousand claims over HTTP would cost this
 * loaded machine more than the streams themselves (`POST /v1/sessions` has its own tests).
 */
async function streamPath(session: string): Promise<string> {
  const key = project.keys.test
  const claimed = await relay.context.sessions.claim((await relay.context.keys.resolve(key))!, session)
  return `/v1/stream?session=${session}&key=${key}&token=${claimed!.token}`
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('stream capacity', () => {
  it('holds 1,000 concurrent streams and broadcasts to each of them', async () => {
    const readers: StreamReader[] = []
    for (let batch = 0; batch < 10; batch++) {
      readers.push(
        ...(await Promise.all(
          Array.from({ length: 100 }, async (_, i) =>
            openStream(relay.url, await streamPath(`ses_many${batch * 100 + i}`)),
          ),
        )),
      )
    }
    expect(readers.every((reader) => reader.status === 200)).toBe(true)
    expect(hub.connections).toBe(1000)

    const { listener, secret } = (
      await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
        name: 'all',
        set: { banner: '$.text' },
        target: 'broadcast',
      })
    ).body
    const text = JSON.stringify({ text: 'to everyone' })
    const res = await relay.request(listener.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await sign(secret, newId('msg'), Math.floor(Date.now() / 1000), text)),
      },
      body: text,
    })
    expect(res.status).toBe(202)
    await Promise.all(readers.map((reader) => reader.waitForFrames(1, 10_000)))
    expect(readers.every((reader) => JSON.parse(reader.frames[0]!.data).set.banner === 'to everyone')).toBe(true)

    for (const reader of readers) reader.close()
    await until(() => hub.connections === 0, 5000, 'the hub to let go of closed streams')
  })

  it('cuts off a client that stops reading, frees it, and keeps serving the others', async () => {
    const reader = await openStream(relay.url, await streamPath('ses_reader'))
    const stalled = connect({ host: '127.0.0.1', port: relay.port })
    const stalledPath = await streamPath('ses_stalled')
    stalled.write(`GET ${stalledPath} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`)
    let head = ''
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        head += chunk.toString()
        if (!head.includes('\r\n\r\n')) return
        stalled.off('data', onData)
        stalled.pause()
        resolve()
      }
      stalled.on('data', onData)
    })
    expect(head).toMatch(/^HTTP\/1.1 200/)
    await until(() => hub.connections === 2, 2000, 'both streams to open')

    // 64 KiB frames until the stalled one has filled both kernel buffers and the relay's allowance.
    const filler = 'x'.repeat(64 * 1024)
    let sent = 0
    while (hub.connections === 2 && sent < 2000) {
      hub.delivery(project.projectId, 'ses_stalled', {
        eventId: 'evt_fill',
        webhookId: 'wh_fill',
        attempt: sent,
        status: 0,
        ok: false,
        latencyMs: 0,
        error: filler,
      })
      sent++
      if (sent % 10 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    expect(hub.connections).toBe(1)
    expect(sent).toBeLessThan(2000)

    // The relay closed the socket: once the client reads again, it reaches the end.
    const closed = new Promise<void>((resolve) => stalled.once('close', () => resolve()))
    stalled.resume()
    await closed

    hub.delivery(project.projectId, 'ses_reader', {
      eventId: 'evt_ok',
      webhookId: 'wh_ok',
      attempt: 1,
      status: 200,
      ok: true,
      latencyMs: 1,
    })
    expect(JSON.parse((await reader.waitForFrames(1))[0]!.data).eventId).toBe('evt_ok')
    reader.close()
  })

  it('releases a stream whose browser ends its side, and ignores what it sends after the request', async () => {
    await until(() => hub.connections === 0, 2000, 'the earlier streams to be released')
    const socket = connect({ host: '127.0.0.1', port: relay.port })
    const finPath = await streamPath('ses_fin')
    socket.write(`GET ${finPath} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`)
    let text = ''
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
    await until(() => hub.connections === 1, 2000, 'the stream to open')
    // Bytes after the request (a second request, garbage) change nothing: the stream stays live.
    socket.write('GET /v1/other HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\nnot http at all\r\n')
    hub.delivery(project.projectId, 'ses_fin', {
      eventId: 'evt_fin',
      webhookId: 'wh_fin',
      attempt: 1,
      status: 200,
      ok: true,
      latencyMs: 1,
    })
    await until(() => text.includes('"eventId":"evt_fin"'), 2000, 'the frame')
    expect(text).toMatch(/^HTTP\/1.1 200 OK\r\n/)
    expect(text).not.toContain('HTTP/1.1 400')
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    socket.end()
    await until(() => hub.connections === 0, 2000, 'the hub to let go of the ended stream')
    await closed
  })
})
