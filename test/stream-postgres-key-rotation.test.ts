import { afterAll, beforeAll, expect, it } from 'vitest'
import { requestFrom, type AddressedAnswer } from './helpers/from-address.ts'
import { postgresSchema } from './helpers/postgres.ts'
import { startTestRelay, type TestRelay } from './helpers/relay.ts'

// Two nodes of one PostgreSQL database: a key rotated on one ends the streams opened with it on
// the other, at once without grace and at the end of a grace (the nodes share the change by the
// signal that clears their key caches).
const { databaseUrl, drop } = postgresSchema('stream_key_rotation')
let a: TestRelay
let b: TestRelay
const open: AddressedAnswer[] = []
beforeAll(async () => {
  a = await startTestRelay({ databaseUrl })
  b = await startTestRelay({ databaseUrl })
})
afterAll(async () => {
  for (const answer of open) answer.close()
  await b.close()
  await a.close()
  await drop()
})

async function streamOn(node: TestRelay, key: string, session: string, token: string) {
  const answer = await requestFrom(
    node.url,
    `/v1/stream?session=${session}&token=${encodeURIComponent(token)}`,
    '127.0.0.1',
    { headers: { authorization: `Bearer ${key}` } },
  )
  expect(answer.status).toBe(200)
  open.push(answer)
  const stream = { endedAt: null as number | null }
  answer.response.resume()
  answer.response.once('close', () => (stream.endedAt = Date.now()))
  return stream
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
async function ended(stream: { endedAt: number | null }, withinMs: number) {
  const until = Date.now() + withinMs
  while (stream.endedAt === null && Date.now() < until) await sleep(20)
  return stream.endedAt !== null
}

it("ends a stream on the other node when a key's grace ends, or at once without grace", async () => {
  const project = await a.createProject()
  const graced = await a.claimSession(project.keys.test, 'ses_pg_rotation_0001')
  const onB = await streamOn(b, project.keys.test, 'ses_pg_rotation_0001', graced.body.token)
  const rotated = await a.admin('POST', `/v1/projects/${project.projectId}/keys/rotate`, {
    environment: 'test',
    graceSeconds: 1,
  })
  expect(rotated.status).toBe(200)
  const ends = Date.parse(rotated.body.previousKeyExpiresAt)
  const fresh = await streamOn(b, rotated.body.key, 'ses_pg_rotation_0001', graced.body.token)
  await sleep(Math.max(0, ends - Date.now() - 300))
  expect(onB.endedAt).toBeNull()
  expect(await ended(onB, 3000)).toBe(true)
  expect(onB.endedAt!).toBeGreaterThanOrEqual(ends - 50)

  const leaked = await a.admin('POST', `/v1/projects/${project.projectId}/keys/rotate`, {
    environment: 'test',
    graceSeconds: 0,
  })
  expect(leaked.status).toBe(200)
  expect(await ended(fresh, 3000)).toBe(true)
  await streamOn(b, leaked.body.key, 'ses_pg_rotation_0001', graced.body.token)
})
