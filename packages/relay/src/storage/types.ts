import type { Kysely } from 'kysely'
import type { PostgresTarget } from '../cluster/pg-url.ts'
import type { Database } from './schema.ts'
import type { SecretBox } from './secret-box.ts'

export type Dialect = 'sqlite' | 'postgres'

/** The opened store: one Kysely instance for every query, and which SQL dialect is underneath. */
export type Storage = SqliteStorage | PostgresStorage

export interface SqliteStorage {
  db: Kysely<Database>
  dialect: 'sqlite'
  close(): Promise<void>
}

export interface PostgresStorage {
  db: Kysely<Database>
  dialect: 'postgres'
  /** Where the database is, as read once from `DATABASE_URL`; the node's LISTEN connection goes there too. */
  target: PostgresTarget
  close(): Promise<void>
}

export interface StorageOptions {
  /** Where `hookline.db` lives (SQLite). */
  dataDir: string
  /** Seals the secrets stored in clear by relays before `0061` (the master key). */
  secrets: SecretBox
  /** A `postgres://` URL switches to PostgreSQL. */
  databaseUrl?: string | undefined
  /** SQLite: `full` waits for the disk on every ingest commit; `normal` survives a crash of the process, not of the machine. @default 'full' */
  sync?: 'full' | 'normal'
  /**
   * SQLite: a worker thread owns the connection and commits concurrent writes together, so fsyncs
   * and checkpoints never block the event loop. @default false
   */
  thread?: boolean
}
