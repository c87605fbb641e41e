import { userInfo } from 'node:os'

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/** Where a relay's PostgreSQL is, read once from `DATABASE_URL`: the pool and the LISTEN connection both go here. */
export interface PostgresTarget {
  /** The URL without `?schema=`, with the user filled in. */
  connectionString: string
  /** `?schema=name`: the relay's tables live there (and its channels are named after it); null for the default. */
  schema: string | null
  /** Host and database, for messages (never the password). */
  where: string
}

/**
 * The one reader of `DATABASE_URL`. `?schema=` must be a plain identifier, since it ends up in SQL
 * and channel names. Like psql, it connects as the operating-system user when the URL names none.
 */
export function parseDatabaseUrl(url: string): PostgresTarget {
  const parsed = new URL(url)
  const schema = parsed.searchParams.get('schema')
  parsed.searchParams.delete('schema')
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new Error(
      `The schema in DATABASE_URL must be a plain identifier like "hookline" (got "${schema.slice(0, 70)}").`,
    )
  }
  if (!parsed.username) parsed.username = encodeURIComponent(process.env.PGUSER ?? userInfo().username)
  return { connectionString: parsed.toString(), schema, where: `${parsed.host}${parsed.pathname}` }
}
