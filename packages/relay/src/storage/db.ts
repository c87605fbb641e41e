import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect, sql, type MigrationProvider, type Transaction } from 'kysely'
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
  /** SQLite: `full` waits for the disk on every ingest commit; `normal` survives a crash of the process, not of the machine. @default 'full' */
  sync?: 'full' | 'normal'
}

// The synchronous level each SQLite store was opened with, for `relaxedTransaction` to return to.
const syncLevels = new WeakMap<Kysely<Database>, 'FULL' | 'NORMAL'>()

/** Opens the store and brings its schema up to date. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts')
    return migrate(await openPostgres(options.databaseUrl))
  }
  mkdirSync(options.dataDir, { recursive: true })
  const file = new SQLite(join(options.dataDir, 'hookline.db'))
  file.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before ingest answers 202 (NORMAL survives a crash of the process
  // but not of the machine, and spares the event loop an fsync per commit).
  const level = options.sync === 'normal' ? 'NORMAL' : 'FULL'
  file.pragma(`synchronous = ${level}`)
  file.pragma('busy_timeout = 5000')
  file.pragma('foreign_keys = ON')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) })
  syncLevels.set(db, level)
  return migrate({ db, dialect: 'sqlite', close: () => db.destroy() })
}

/**
 * Runs `work` in a transaction whose commit does not wait for the disk: for the dispatcher's own
 * bookkeeping (claims, attempt results), where losing the last commits to a power cut only means a
 * delivery is sent again — at-least-once allows that. A crash of the process loses nothing either
 * way (WAL). Ingest keeps the full wait: its 202 promises the event is on disk.
 */
export async function relaxedTransaction<T>(
  db: Kysely<Database>,
  dialect: Dialect,
  work: (tx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') {
    return db.transaction().execute(async (tx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(tx)
      return work(tx)
    })
  }
  const level = syncLevels.get(db) ?? 'FULL'
  if (level === 'NORMAL') return db.transaction().execute(work)
  // One connection for the three steps, so no other transaction commits under the relaxed setting.
  return db.connection().execute(async (connection) => {
    await sql`PRAGMA synchronous = NORMAL`.execute(connection)
    try {
      return await connection.transaction().execute(work)
    } finally {
      await sql.raw(`PRAGMA synchronous = ${level}`).execute(connection)
    }
  })
}

/**
 * Kysely prepares every query afresh; the relay runs the same few statements thousands of times a
 * second, so prepared statements are kept by SQL text. (Safe because nothing iterates a statement
 * lazily: every query is run to completion before the next one starts.)
 */
function withStatementCache(file: SQLite.Database): SQLite.Database {
  const statements = new Map<string, SQLite.Statement>()
  const prepare = (sql: string) => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = file.prepare(sql)
      if (statements.size >= 1000) statements.clear()
      statements.set(sql, statement)
    }
    return statement
  }
  return new Proxy(file, {
    get(target, property) {
      if (property === 'prepare') return prepare
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

async function migrate(storage: Storage): Promise<Storage> {
  const provider: MigrationProvider = { getMigrations: async () => migrations }
  const { error, results } = await new Migrator({ db: storage.db, provider }).migrateToLatest()
  if (error) {
    await storage.close()
    const failed = results?.find((result) => result.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`, {
      cause: error,
    })
  }
  return storage
}
