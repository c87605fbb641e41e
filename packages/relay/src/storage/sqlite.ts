import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { ensurePrivateDir, tightenFile, touchPrivateFile } from './private-files.ts'
import type { Database } from './schema.ts'
import { setRawSqlite } from './sqlite-raw.ts'
import type { SqliteStorage, StorageOptions } from './types.ts'

export type SyncLevel = 'FULL' | 'NORMAL'

// The synchronous level each SQLite store was opened with, for `relaxedTransaction` to return to.
const syncLevels = new WeakMap<Kysely<Database>, SyncLevel>()

/** SQLite in `<dataDir>/hookline.db`, in WAL mode, on the event loop. */
export function openSqlite(options: Omit<StorageOptions, 'secrets'>): SqliteStorage {
  const level = options.sync === 'normal' ? 'NORMAL' : 'FULL'
  const file = openSqliteFile(options)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) })
  syncLevels.set(db, level)
  setRawSqlite(db, file, level)
  return { db, dialect: 'sqlite', close: () => db.destroy() }
}

/** Opens `<dataDir>/hookline.db` with the relay's settings and a statement cache; the dir 0700, the files 0600. */
export function openSqliteFile(options: Omit<StorageOptions, 'secrets'>): SQLite.Database {
  ensurePrivateDir(options.dataDir)
  const path = join(options.dataDir, 'hookline.db')
  // SQLite makes `-wal` and `-shm` with the database file's mode, so that one is made 0600 first;
  // files an older relay made 0644 are tightened.
  touchPrivateFile(path)
  for (const suffix of ['-wal', '-shm', '-journal']) tightenFile(path + suffix)
  const file = new SQLite(path)
  file.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before ingest answers 202 (NORMAL survives a crash of the process
  // but not of the machine, and spares the event loop an fsync per commit).
  file.pragma(`synchronous = ${options.sync === 'normal' ? 'NORMAL' : 'FULL'}`)
  file.pragma('busy_timeout = 5000')
  file.pragma('foreign_keys = ON')
  return withStatementCache(file)
}

/**
 * Marks a store whose commits are grouped elsewhere (the SQLite worker): `relaxedTransaction` then
 * runs a plain transaction, and the group's commit decides how it waits for the disk.
 */
export function setSyncLevel(db: Kysely<Database>, level: SyncLevel): void {
  syncLevels.set(db, level)
}

/** The synchronous level an SQLite store was opened with. */
export function syncLevel(db: Kysely<Database>): SyncLevel {
  return syncLevels.get(db) ?? 'FULL'
}

/**
 * Kysely prepares every query afresh; the relay runs the same few statements thousands of times a
 * second, so prepared statements are kept by SQL text. (Safe because nothing iterates a statement
 * lazily: every query is run to completion before the next one starts.)
 */
function withStatementCache(file: SQLite.Database): SQLite.Database {
  const statements = new Map<string, SQLite.Statement>()
  const prepare = (sql: string) => {
    // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL among them); Kysely's
    // ROLLBACK after that would fail and hide the real error behind "no transaction is active".
    if (!file.inTransaction && /^\s*rollback\s*$/i.test(sql)) return file.prepare('SELECT 1 WHERE 0')
    let statement = statements.get(sql)
    if (!statement) {
      statement = file.prepare(sql)
      if (statements.size >= 1000) statements.clear()
      statements.set(sql, statement)
    }
    return statement
  }
  return new Proxy(file, {
    get(target, property): unknown {
      if (property === 'prepare') return prepare
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}
