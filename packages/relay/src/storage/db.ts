import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely'
import { migrations } from './migrations.ts'
import type { Database } from './schema.ts'

export type Dialect = 'sqlite' | 'postgres'

/** The opened store: one Kysely instance for every query, and which SQL dialect is underneath. */
export interface Storage {
  db: Kysely<Database>
  dialect: Dialect
  close(): Promise<void>
}

export interface StorageOptions {
  /** Where `hookline.db` lives (SQLite). */
  dataDir: string
  /** A `postgres://` URL switches to PostgreSQL. */
  databaseUrl?: string | undefined
}

/** Opens the store and brings its schema up to date. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts')
    return migrate(await openPostgres(options.databaseUrl))
  }
  mkdirSync(options.dataDir, { recursive: true })
  const file = new SQLite(join(options.dataDir, 'hookline.db'))
  file.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before ingest answers 202 (NORMAL would survive a crash of the
  // process but not of the machine).
  file.pragma('synchronous = FULL')
  file.pragma('busy_timeout = 5000')
  file.pragma('foreign_keys = ON')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) })
  return migrate({ db, dialect: 'sqlite', close: () => db.destroy() })
}

async function migrate(storage: Storage): Promise<Storage> {
  const provider: MigrationProvider = { getMigrations: async () => migrations }
  const { error, results } = await new Migrator({ db: storage.db, provider }).migrateToLatest()
  if (error) {
    await storage.close()
    const failed = results?.find((result) => result.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`, { cause: error })
  }
  return storage
}
