import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestRelay, testEvent, type TestRelay } from '../helpers/relay.ts'

// The finding: 100,000-deep nesting was reported as "This event is Infinity KiB".

let relay: TestRelay
beforeAll(async () => {
  relay = await startTestRelay()
})
afterAll(async () => {
  await relay.close()
})

it('a 100,000-deep event is refused alone, saying it is too deep; 30 levels are fine', async () => {
  const { keys } = await relay.createProject()
  const deep = testEvent()
  const shallow = testEvent({ props: { a: JSON.parse('['.repeat(30) + ']'.repeat(30)) } })
  const sessionTokens = { [deep.sessionId]: await relay.sessionToken(keys.test, deep.sessionId) }
  const json = JSON.stringify({
    sentAt: new Date().toISOString(),
    sessionTokens,
    events: [{ ...deep, props: { a: 0 } }, shallow],
  })
  const body = json.replace('"a":0', `"a":${'['.repeat(100_000)}${']'.repeat(100_000)}`)
  const res = await relay.request('/v1/events', {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.test}`, 'content-type': 'application/json' },
    body,
  })
  expect(res.status).toBe(202)
  expect(res.body.accepted).toEqual([shallow.id])
  expect(res.body.rejected).toMatchObject([{ id: deep.id, error: { code: 'event_too_deep' } }])
  expect(res.body.rejected[0].error.message).toMatch(/more than 34 levels/)
  expect(res.body.rejected[0].error.message).not.toContain('Infinity')
})
