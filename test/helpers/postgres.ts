import { userInfo } from 'node:os'
import pg from 'pg'

/** The PostgreSQL server the tests use: CI's local one unless HOOKLINE_TEST_PG names another. */
export const POSTGRES_SERVER = process.env.HOOKLINE_TEST_PG ?? 'postgres://127.0.0.1:5432/test'

/** The server's URL with a user name (PGUSER, else this OS user's) when it names none. */
export function postgresServerUrl(): string {
  const url = new URL(POSTGRES_SERVER)
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username
  return url.toString()
}

/**
 * A schema of the calling test file's own, so suites running side by side never see each other's
 * tables. `databaseUrl` points a relay at it; `query()` reads it directly, as an operator would;
 * `drop()` closes that connection and removes the schema and everything in it.
 */
export function postgresSchema(prefix: string): {
  databaseUrl: string
  query: <T>(text: string, values?: unknown[]) => Promise<T[]>
  drop: () => Promise<void>
} {
  const schema = `${prefix}_${process.pid}_${Date.now()}`
  let reader: pg.Client | undefined
  return {
    databaseUrl: `${POSTGRES_SERVER}?schema=${schema}`,
    query: async <T>(text: string, values: unknown[] = []) => {
      if (!reader) {
        reader = new pg.Client({ connectionString: postgresServerUrl(), options: `-c search_path=${schema}` })
        await reader.connect()
      }
      return (await reader.query(text, values)).rows as T[]
    },
    drop: async () => {
      await reader?.end()
      const client = new pg.Client({ connectionString: postgresServerUrl() })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    },
  }
}
