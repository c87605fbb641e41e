import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestFrom, type AddressedAnswer } from '../helpers/from-address.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay.ts'

// A stream is authenticated once, when it opens. When a rotated key's grace ends (or its project
// is deleted), the streams opened with it end too: the browser reconnects, and only a key that
// works opens it again (the session and its token survive the rotation).

let relay: TestRelay
beforeAll(async () => {
  relay = await startTestRelay()
})
afterAll(() => relay.close())

const rotate = (projectId: string, graceSeconds: number) =>
  relay.admin('POST', `/v1/projects/${projectId}/keys/rotate`, { environment: 'test', graceSeconds })

/** An open stream, and when it ended (ms since epoch; null while open). */
async function openStream(key: string, session: string, token: string) {
  const answer = await requestFrom(
    relay.url,
    `/v1/stream?session=${session}&token=${encodeURIComponent(token)}`,
    '127.0.0.1',
    { headers: { authorization: `Bearer ${key}` } },
  )
  const stream = { answer, endedAt: null as number | null }
  if (answer.status === 200) {
    answer.response.resume()
    answer.response.once('close', () => (stream.endedAt = Date.now()))
  }
  return stream
}
type Stream = Awaited<ReturnType<typeof openStream>>
const open: AddressedAnswer[] = []
afterAll(() => {
  for (const answer of open) answer.close()
})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
async function endedWithin(stream: Stream, ms: number): Promise<boolean> {
  const until = Date.now() + ms
  while (stream.endedAt === null && Date.now() < until) await sleep(20)
  return stream.endedAt !== null
}

async function claimedProject(session: string) {
  const project = await relay.createProject()
  const claimed = await relay.claimSession(project.keys.test, session)
  expect(claimed.status).toBe(201)
  return { ...project, token: claimed.body.token }
}

describe('the streams of a key end with it', () => {
  it("ends a stream opened with the old key when the grace ends, not the new key's; the old key cannot open it again", async () => {
    const session = 'ses_stream_grace_0001'
    const project = await claimedProject(session)
    const old = await openStream(project.keys.test, session, project.token)
    expect(old.answer.status).toBe(200)
    open.push(old.answer)
    const rotated = await rotate(project.projectId, 1)
    expect(rotated.status).toBe(200)
    const ends = Date.parse(rotated.body.previousKeyExpiresAt)
    // The new key opens the same session with the same token.
    const fresh = await openStream(rotated.body.key, session, project.token)
    expect(fresh.answer.status).toBe(200)
    open.push(fresh.answer)
    await sleep(Math.max(0, ends - Date.now() - 300))
    expect(old.endedAt).toBeNull()

    expect(await endedWithin(old, 2000)).toBe(true)
    expect(old.endedAt!).toBeGreaterThanOrEqual(ends - 50)
    await sleep(300)
    expect(fresh.endedAt).toBeNull()
    const again = await openStream(project.keys.test, session, project.token)
    expect(again.answer.status).toBe(401)
  })

  it('ends them at once after a rotation with no grace (a leak), the stream of a key already on its way out too', async () => {
    const session = 'ses_stream_leak_00001'
    const project = await claimedProject(session)
    const first = await openStream(project.keys.test, session, project.token)
    // A key in its grace period still opens streams; they end when it does.
    const rotated = await rotate(project.projectId, 3600)
    const during = await openStream(project.keys.test, session, project.token)
    const second = await openStream(rotated.body.key, session, project.token)
    for (const stream of [first, during, second]) {
      expect(stream.answer.status).toBe(200)
      open.push(stream.answer)
    }
    await sleep(200)
    expect([first.endedAt, during.endedAt, second.endedAt]).toEqual([null, null, null])

    const leaked = await rotate(project.projectId, 0)
    expect(leaked.status).toBe(200)
    for (const stream of [first, during, second]) expect(await endedWithin(stream, 1000)).toBe(true)
    const now = await openStream(leaked.body.key, session, project.token)
    expect(now.answer.status).toBe(200)
    open.push(now.answer)
  })

  it("leaves another project's streams open, and ends a project's streams when it is deleted", async () => {
    const kept = await claimedProject('ses_stream_kept_00001')
    const deleted = await claimedProject('ses_stream_gone_00001')
    const keep = await openStream(kept.keys.test, 'ses_stream_kept_00001', kept.token)
    const gone = await openStream(deleted.keys.test, 'ses_stream_gone_00001', deleted.token)
    open.push(keep.answer, gone.answer)
    expect((await rotate(deleted.projectId, 0)).status).toBe(200)
    expect(await endedWithin(gone, 1000)).toBe(true)
    expect(keep.endedAt).toBeNull()

    const other = await claimedProject('ses_stream_gone_00002')
    const stream = await openStream(other.keys.test, 'ses_stream_gone_00002', other.token)
    open.push(stream.answer)
    // Watched once the relay has served the stream's replay (a moment after the head the test sees).
    const hash = createHash('sha256').update(other.keys.test).digest('hex')
    await expect.poll(() => relay.context.streamKeys.watches(hash), { timeout: 2000 }).toBe(true)
    expect((await relay.admin('DELETE', `/v1/projects/${other.projectId}`)).status).toBe(204)
    expect(await endedWithin(stream, 1000)).toBe(true)
    expect(keep.endedAt).toBeNull()
    // Nothing is kept for a key whose streams all ended (once the relay's side of the socket closed too).
    await expect.poll(() => relay.context.streamKeys.watches(hash), { timeout: 2000 }).toBe(false)
  })
})
