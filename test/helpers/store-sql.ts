import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { postgresServerUrl } from './postgres.ts'
import { startTestRelay } from './relay.ts'

// The upgrade tests' stores: one per dialect, which relays open in turn, with raw SQL on it in
// between to make it look the way an older relay left it.

/** SQL against a store, whichever the dialect: a SELECT's rows, nothing for any other statement. */
export type StoreSql = (text: string) => Promise<Record<string, unknown>[]>

/** Where relays find the store: a data dir (SQLite) or a database URL (PostgreSQL). */
export type StoreLocation = { dataDir: string } | { databaseUrl: string }

/**
 * A SQLite store in a fresh data dir (made by a relay started and closed), and `sql()` to open its
 * file, first when called (after the relays `use` starts have written it); closed after `use`.
 */
export async function withSqliteStore(use: (store: StoreLocation, sql: () => StoreSql) => Promise<void>) {
  const relay = await startTestRelay({ keepDataDir: true })
  const { dataDir } = relay
  await relay.close()
  let file: SQLite.Database | undefined
  try {
    await use({ dataDir }, () => {
      file ??= new SQLite(join(dataDir, 'hookline.db'))
      const open = file
      return (text) =>
        Promise.resolve(
          /^\s*select/i.test(text) ? (open.prepare(text).all() as Record<string, unknown>[]) : (open.exec(text), []),
        )
    })
  } finally {
    file?.close()
  }
}

/**
 * The PostgreSQL store at `databaseUrl` (a `postgresSchema`'s), and `sql()` to connect to its schema,
 * first when called; the connection ends after `use`.
 */
export async function withPostgresStore(
  databaseUrl: string,
  use: (store: StoreLocation, sql: () => StoreSql) => Promise<void>,
) {
  const schema = new URL(databaseUrl).searchParams.get('schema')!
  const client = new pg.Client({ connectionString: postgresServerUrl(), options: `-c search_path=${schema}` })
  try {
    await use({ databaseUrl }, () => {
      const connected = client.connect()
      return async (text) => {
        await connected
        return (await client.query(text)).rows as Record<string, unknown>[]
      }
    })
  } finally {
    await client.end()
  }
}
