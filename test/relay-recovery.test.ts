import { startTestRelay } from './helpers/relay.ts'
import { recoveryTests } from './suites/recovery.ts'

// Self-recovery on SQLite; test/relay-postgres-recovery.test.ts runs the same on PostgreSQL.
recoveryTests((options) => startTestRelay(options))
