import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { parseDatabaseUrl } from '../cluster/pg-url.ts'
import type { Database } from './schema.ts'
import type { PostgresStorage } from './types.ts'

// bigint columns hold millisecond times and counts, well inside a double's exact range; numeric
// (sums) too: read them as numbers, as SQLite gives them.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (text) => Number(text))

/**
 * PostgreSQL storage, for several relay nodes sharing one database. `?schema=name` in the URL puts
 * the relay's tables in their own schema (created if missing), set on every connection.
 */
export async function openPostgres(url: string): Promise<PostgresStorage> {
  const target = parseDatabaseUrl(url)
  const { schema } = target
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    else await pool.query('SELECT 1')
  } catch (error) {
    await pool.end()
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Cannot reach PostgreSQL at ${target.where}: ${reason}`, { cause: error })
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', target, close: () => db.destroy() }
}
