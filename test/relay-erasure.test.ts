import { startTestRelay } from './helpers/relay.ts'
import { erasureTests } from './suites/erasure.ts'

// Erasure on SQLite; test/relay-postgres-erasure.test.ts runs the same on PostgreSQL.
erasureTests(() => startTestRelay())
