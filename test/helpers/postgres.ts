import { userInfo } from 'node:os'
import pg from 'pg'

/** The PostgreSQL server the tests use: CI's local one unless HOOKLINE_TEST_PG names another. */
export const POSTGRES_SERVER = process.env.HOOKLINE_TEST_PG ?? 'postgres://127.0.0.1:5432/test'

/**
 * A schema of the calling test file's own, so suites running side by side never see each other's
 * tables. `databaseUrl` points a relay at it; `drop()` removes it and everything in it.
 */
export function postgresSchema(prefix: string): { databaseUrl: string; drop: () => Promise<void> } {
  const schema = `${prefix}_${process.pid}_${Date.now()}`
  return {
    databaseUrl: `${POSTGRES_SERVER}?schema=${schema}`,
    drop: async () => {
      const url = new URL(POSTGRES_SERVER)
      if (!url.username) url.username = process.env.PGUSER ?? userInfo().username
      const client = new pg.Client({ connectionString: url.toString() })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    },
  }
}
