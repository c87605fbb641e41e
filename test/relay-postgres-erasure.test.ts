import { afterAll } from 'vitest'
import { postgresSchema } from './helpers/postgres.ts'
import { startTestRelay } from './helpers/relay.ts'
import { erasureTests } from './suites/erasure.ts'

// Erasure on PostgreSQL, in a schema of this file's own: the same tests as on SQLite.
const { databaseUrl, drop } = postgresSchema('relay_erasure')
// Registered first, so it runs last: after the suite's relay closed.
afterAll(drop)
erasureTests(() => startTestRelay({ databaseUrl }))
