import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Storage } from './db.ts'
import type { Database } from './schema.ts'

// bigint columns hold millisecond times, well inside a double's exact range: read them as numbers.
pg.types.setTypeParser(20, (text) => Number(text))

/** PostgreSQL storage (several relay nodes share one database). */
export async function openPostgres(url: string): Promise<Storage> {
  const parsed = new URL(url)
  const schema = parsed.searchParams.get('schema')
  parsed.searchParams.delete('schema')
  const pool = new pg.Pool({ connectionString: parsed.toString(), max: 10 })
  if (schema) {
    // A schema per relay (or per test file) keeps their tables apart in one database.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`)
    pool.on('connect', (client) => void client.query(`SET search_path TO "${schema.replace(/"/g, '')}"`))
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', close: () => db.destroy() }
}
