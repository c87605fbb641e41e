// The thread that owns the relay's SQLite connection (started by `sqlite-thread.ts`, once
// `openStorage` has migrated the store): it opens the file, then runs every request through a
// group commit, so fsyncs and WAL checkpoints block this thread rather than the relay's event loop.
import { parentPort, workerData } from 'node:worker_threads'
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import type { DatabaseConnection } from 'kysely'
import type SQLite from 'better-sqlite3'
import { GroupCommit } from './group-commit.ts'
import type { Database } from './schema.ts'
import { setRawSqlite } from './sqlite-raw.ts'
import { openSqliteFile, setSyncLevel } from './sqlite.ts'
import type { StorageOptions } from './types.ts'
import { toWire, type ThreadReply, type ThreadRequest, type ThreadStartup } from './worker-protocol.ts'

/** Transactions of the operations run here are savepoints inside the group's transaction. */
class SavepointDriver extends SqliteDriver {
  constructor(private readonly file: SQLite.Database) {
    super({ database: file })
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('savepoint op'))
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('release op'))
  }
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // A full disk or an I/O error rolls SQLite's whole transaction back by itself: the savepoint is
    // gone, and rolling back to it would replace the error that says why (the 503) with a 500.
    if (!this.file.inTransaction) return
    await connection.executeQuery(CompiledQuery.raw('rollback to op'))
    await connection.executeQuery(CompiledQuery.raw('release op'))
  }
}

function inGroup(file: SQLite.Database): Kysely<Database> {
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new SavepointDriver(file),
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  })
  // Its "transactions" commit with the group, which decides how long to wait for the disk.
  setSyncLevel(db, 'NORMAL')
  setRawSqlite(db, file, 'group')
  return db
}

const port = parentPort
if (!port) throw new Error('sqlite-worker.ts runs as a worker thread')
const options = workerData as Omit<StorageOptions, 'secrets'>
const post = (message: ThreadStartup | ThreadReply[]) => {
  port.postMessage(message)
}
try {
  const file = openSqliteFile(options)
  const group = new GroupCommit(file, inGroup(file), options.sync === 'normal' ? 'NORMAL' : 'FULL', post)
  port.on('message', (request: ThreadRequest) => {
    group.receive(request)
  })
  post({ ready: true })
} catch (error) {
  post({ failed: toWire(error) })
}
