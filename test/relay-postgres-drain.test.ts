import { afterAll, expect, test } from 'vitest'
import { postgresSchema } from './helpers/postgres.ts'
import { startTestRelay, type TestRelay } from './helpers/relay.ts'
import { drainAcross } from './suites/drain.ts'

// A resume's drain on two relay nodes sharing one PostgreSQL schema, each polling the queue often:
// the node that did not resume the webhook claims in the same order, one at a time, and the stored
// drain ends once what it covered is delivered.
const { databaseUrl, query, drop } = postgresSchema('relay_drain')
afterAll(drop)
const relays: TestRelay[] = []
afterAll(async () => {
  for (const relay of relays) await relay.close()
})

test.each([
  ['every held delivery succeeds', false],
  ['the oldest fails once and holds the rest until its retry', true],
])('two nodes: what a resume drains goes one at a time, oldest first, on either node (%s)', async (_, failOldest) => {
  if (relays.length === 0)
    for (let i = 0; i < 2; i++) relays.push(await startTestRelay({ databaseUrl, dispatcher: { pollMs: 20 } }))
  const { webhookId } = await drainAcross(relays, failOldest)
  const [row] = await query<{ drain_until: string | null }>('SELECT drain_until FROM webhooks WHERE id = $1', [
    webhookId,
  ])
  expect(row).toEqual({ drain_until: null })
})
