import { Kysely, PostgresDialect } from 'kysely'
import { userInfo } from 'node:os'
import pg from 'pg'
import type { Storage } from './db.ts'
import type { Database } from './schema.ts'

// bigint columns hold millisecond times and counts, well inside a double's exact range; numeric
// (sums) too: read them as numbers, as SQLite gives them.
pg.types.setTypeParser(20, (text) => Number(text))
pg.types.setTypeParser(1700, (text) => Number(text))

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/**
 * PostgreSQL storage, for several relay nodes sharing one database. `?schema=name` in the URL puts
 * the relay's tables in their own schema (created if missing), set on every connection.
 */
export async function openPostgres(url: string): Promise<Storage> {
  const parsed = new URL(url)
  const schema = parsed.searchParams.get('schema')
  parsed.searchParams.delete('schema')
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new Error(
      `The schema in DATABASE_URL must be a plain identifier like "hookline" (got "${schema.slice(0, 70)}").`,
    )
  }
  // Like psql, connect as the operating-system user when the URL names none.
  if (!parsed.username) parsed.username = encodeURIComponent(process.env.PGUSER ?? userInfo().username)
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    else await pool.query('SELECT 1')
  } catch (error) {
    await pool.end()
    throw new Error(`Cannot reach PostgreSQL at ${parsed.host}${parsed.pathname}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', close: () => db.destroy() }
}
