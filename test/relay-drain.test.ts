import { afterAll, expect, test } from 'vitest'
import { startTestRelay, type TestRelay } from './helpers/relay.ts'
import { drainAcross } from './suites/drain.ts'

// A resume's drain on one SQLite relay: a failing oldest delivery holds the rest until its retry.
const relays: TestRelay[] = []
afterAll(async () => {
  for (const relay of relays) await relay.close()
})

test('a resumed webhook drains what it held one at a time, oldest first, a retry holding the rest', async () => {
  relays.push(await startTestRelay({ dispatcher: { pollMs: 50 } }))
  const { webhookId } = await drainAcross(relays, true)
  expect(webhookId).toMatch(/^wh_/)
})
