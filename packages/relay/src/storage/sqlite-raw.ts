import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'

/**
 * The better-sqlite3 connection under a Kysely store, for the few writes the relay makes thousands
 * of times a second (ingest's inserts, claims, attempt results). They run as prepared statements
 * (cached by SQL text, `sqlite.ts`) in one synchronous call: no query building, no promise per
 * statement. Everything else goes through Kysely.
 */
interface RawSqlite {
  file: SQLite.Database
  /**
   * The synchronous level the store was opened with, or `group` in the SQLite worker, where each
   * write runs inside the group's transaction (`group-commit.ts`), whose commit decides how it
   * waits for the disk.
   */
  level: 'FULL' | 'NORMAL' | 'group'
}

const raws = new WeakMap<Kysely<Database>, RawSqlite>()

export function setRawSqlite(db: Kysely<Database>, file: SQLite.Database, level: RawSqlite['level']): void {
  raws.set(db, { file, level })
}

/**
 * Runs `work` on the store's own connection in a transaction of its own, or answers undefined when
 * `db` is not an SQLite store opened here (PostgreSQL, the worker's relay side, a transaction).
 * On the event loop it takes Kysely's connection first, so it never lands inside a transaction
 * Kysely has open; `relaxed` commits without waiting for the disk (`relaxedTransaction`). In the
 * worker it is a savepoint of the group, so a failure undoes only itself.
 */
export async function rawWrite<T>(
  db: Kysely<Database>,
  relaxed: boolean,
  work: (file: SQLite.Database) => T,
): Promise<{ value: T } | undefined> {
  const raw = raws.get(db)
  if (!raw) return undefined
  const { file, level } = raw
  if (level === 'group') return { value: inSavepoint(file, work) }
  const relax = relaxed && level !== 'NORMAL'
  return db.connection().execute(() => {
    if (relax) file.pragma('synchronous = NORMAL')
    try {
      file.exec('BEGIN IMMEDIATE')
      try {
        const value = work(file)
        file.exec('COMMIT')
        return Promise.resolve({ value })
      } catch (error) {
        // Some errors (a full disk) roll SQLite back by itself.
        if (file.inTransaction) file.exec('ROLLBACK')
        throw error
      }
    } finally {
      if (relax) file.pragma(`synchronous = ${level}`)
    }
  })
}

function inSavepoint<T>(file: SQLite.Database, work: (file: SQLite.Database) => T): T {
  file.exec('SAVEPOINT raw_op')
  try {
    const value = work(file)
    file.exec('RELEASE raw_op')
    return value
  } catch (error) {
    if (file.inTransaction) file.exec('ROLLBACK TO raw_op; RELEASE raw_op')
    throw error
  }
}

/**
 * Every column of a table, from an object that must name each one (the compiler checks it), in a
 * fixed order for positional parameters.
 */
export function columnsOf<Row>(all: Record<keyof Row, true>): (keyof Row & string)[] {
  return Object.keys(all) as (keyof Row & string)[]
}

/** `INSERT INTO table (a, b) VALUES (?, ?)` for these columns, with anything after it. */
export function insertSql(table: string, columns: readonly string[], tail = ''): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${tail}`
}

/** A row's values in `columns` order; a column left out binds NULL. */
export function valuesOf<Row>(row: Row, columns: readonly (keyof Row)[]): unknown[] {
  return columns.map((column) => row[column] ?? null)
}
