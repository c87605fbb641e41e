import { inspect } from 'node:util'
import { Migrator, sql, type Kysely, type MigrationProvider, type Transaction } from 'kysely'
import { migrations } from './migrations.ts'
import type { Database } from './schema.ts'
import type { SecretBox } from './secret-box.ts'
import { checkMasterKey, resealSecrets, scrubFreedSpace } from './sealed-secrets.ts'
import { openSqlite, syncLevel } from './sqlite.ts'
import type { Dialect, Storage, StorageOptions } from './types.ts'

/** Opens the store and brings its schema up to date. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.databaseUrl) {
    // Loaded only when asked for, so a relay on SQLite never loads the PostgreSQL driver for storage.
    const { openPostgres } = await import('./postgres.ts')
    return migrate(await openPostgres(options.databaseUrl), options.secrets)
  }
  if (options.thread) {
    // Migrated here first, on the event loop (once, at start), then handed to the worker thread.
    await (await migrate(openSqlite(options), options.secrets)).close()
    const { openSqliteThread } = await import('./sqlite-thread.ts')
    return openSqliteThread(options)
  }
  return migrate(openSqlite(options), options.secrets)
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
  const level = syncLevel(db)
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

async function migrate<S extends Storage>(storage: S, secrets: SecretBox): Promise<S> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations(secrets)) }
  // Kysely looks for its own tables by name in every schema: a relay sharing its database with
  // another relay's schema would find that one's and skip creating its own, so name the schema.
  const schema = storage.dialect === 'postgres' ? storage.target.schema : null
  // Each change numbers its migrations in a range of its own (0060–0069, 0070–0079, …), and they
  // land in any order: a database that ran 0071 must still take 0060 when it arrives.
  const { error, results } = await new Migrator({
    db: storage.db,
    provider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateToLatest()
  if (error) {
    await storage.close()
    const failed = results?.find((result) => result.status === 'Error')
    const reason = error instanceof Error ? error.message : inspect(error)
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`, { cause: error })
  }
  try {
    // Sealing just now left the cleartext in freed space: rewrite it away, once. A store too big
    // for the disk to hold its copy still starts (sealed), and says what is left to do.
    if (results?.some((result) => result.migrationName === '0061_seal_secrets' && result.status === 'Success')) {
      await scrubFreedSpace(storage.db, storage.dialect).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error)
        process.emitWarning(
          `The secrets are sealed, but rewriting the store to drop their old cleartext from free space failed (${reason}); run VACUUM when there is room.`,
        )
      })
    }
    // A changed master key: what the previous one sealed is sealed again under the new one, at once.
    if (secrets.hasPrevious) await storage.db.transaction().execute((tx) => resealSecrets(tx, secrets))
    await checkMasterKey(storage.db, secrets)
  } catch (problem) {
    await storage.close()
    throw problem
  }
  return storage
}
