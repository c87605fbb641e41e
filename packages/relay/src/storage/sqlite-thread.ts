import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely'
import { setStorageThread, type StorageThread } from './remote.ts'
import type { Database } from './schema.ts'
import { setSyncLevel } from './sqlite.ts'
import type { SqliteStorage, StorageOptions } from './types.ts'
import { fromWire, type ThreadReply, type ThreadRequest, type ThreadStartup } from './worker-protocol.ts'

// Built, this is `./sqlite-worker.js` next to this file (scripts/tsc-build.mjs rewrites the URL).
const WORKER = new URL('./sqlite-worker.ts', import.meta.url)

type Request = ThreadRequest extends infer R ? (R extends ThreadRequest ? Omit<R, 'id'> : never) : never

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

/** The relay's end of the SQLite worker: requests out, answers back by id. */
class WorkerThread implements StorageThread {
  readonly ready: Promise<void>
  #worker: Worker
  #nextId = 1
  #nextTxn = 1
  #pending = new Map<number, Pending>()
  #dead: Error | undefined

  constructor(options: StorageOptions) {
    this.#worker = spawnWorker({ dataDir: options.dataDir, sync: options.sync })
    // Kept referenced only while it owes an answer, so an idle store never holds the process open.
    this.#worker.unref()
    this.ready = new Promise((resolve, reject) => {
      this.#worker.once('message', (startup: ThreadStartup) => {
        if ('failed' in startup) reject(fromWire(startup.failed))
        else resolve()
        this.#worker.on('message', (replies: ThreadReply[]) => {
          this.#receive(replies)
        })
      })
      this.#worker.once('error', reject)
    })
    this.#worker.on('error', (error) => {
      this.#fail(error)
    })
    this.#worker.on('exit', (code) => {
      this.#fail(new Error(`The SQLite worker stopped (exit code ${String(code)})`))
    })
  }

  request(request: Request): Promise<unknown> {
    if (this.#dead) return Promise.reject(this.#dead)
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref()
      this.#pending.set(id, { resolve, reject })
      this.#worker.postMessage({ ...request, id })
    })
  }

  run<T>(name: string, args: unknown[]): Promise<T> {
    return this.request({ kind: 'op', name, args }) as Promise<T>
  }

  transactionId(): number {
    return this.#nextTxn++
  }

  async close(): Promise<void> {
    if (!this.#dead) await this.request({ kind: 'close' })
    await this.terminate()
  }

  async terminate(): Promise<void> {
    this.#dead ??= new Error('The store is closed')
    await this.#worker.terminate()
  }

  #receive(replies: ThreadReply[]): void {
    for (const reply of replies) {
      const pending = this.#pending.get(reply.id)
      if (!pending) continue
      this.#pending.delete(reply.id)
      if ('error' in reply) pending.reject(fromWire(reply.error))
      else pending.resolve(reply.value)
    }
    if (this.#pending.size === 0) this.#worker.unref()
  }

  #fail(error: Error): void {
    this.#dead ??= error
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }
}

/**
 * Built, the worker is plain JavaScript. From the sources (tests, `tsx`) it is a .ts file: a
 * `--import` loader given to a worker does not reach its entry on Node 20, so a bootstrap
 * registers tsx inside the worker first, then imports it.
 */
function spawnWorker(workerData: Omit<StorageOptions, 'secrets'>): Worker {
  if (!WORKER.pathname.endsWith('.ts')) return new Worker(WORKER, { workerData })
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs')
  const bootstrap = `import(${JSON.stringify(pathToFileURL(api).href)})
    .then(({ register }) => { register(); return import(${JSON.stringify(WORKER.href)}) })`
  return new Worker(bootstrap, { eval: true, workerData })
}

/** A connection as Kysely sees it: each statement a message, inside the transaction it opened if any. */
class ThreadConnection implements DatabaseConnection {
  #txn: number | null = null

  constructor(private readonly thread: WorkerThread) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.thread.request({
      kind: 'query',
      txn: this.#txn,
      sql: query.sql,
      params: query.parameters,
    })
    return result as QueryResult<R>
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query)
    for (const row of rows) yield { rows: [row] }
  }

  async begin(): Promise<void> {
    this.#txn = this.thread.transactionId()
    await this.thread.request({ kind: 'begin', txn: this.#txn })
  }

  async end(kind: 'commit' | 'rollback'): Promise<void> {
    const txn = this.#txn
    this.#txn = null
    if (txn !== null) await this.thread.request({ kind, txn })
  }
}

function own(connection: DatabaseConnection): ThreadConnection {
  if (!(connection instanceof ThreadConnection)) throw new Error('Not a connection of the SQLite worker')
  return connection
}

class ThreadDriver implements Driver {
  constructor(private readonly thread: WorkerThread) {}
  async init(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new ThreadConnection(this.thread))
  }
  beginTransaction(connection: DatabaseConnection): Promise<void> {
    return own(connection).begin()
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return own(connection).end('commit')
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return own(connection).end('rollback')
  }
  async releaseConnection(): Promise<void> {}
  destroy(): Promise<void> {
    return this.thread.close()
  }
}

/** SQLite owned by a worker thread (`sqlite-worker.ts`), opened there (migrated before, by `openStorage`). */
export async function openSqliteThread(options: StorageOptions): Promise<SqliteStorage> {
  const thread = new WorkerThread(options)
  try {
    await thread.ready
  } catch (error) {
    await thread.terminate()
    throw error
  }
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new ThreadDriver(thread),
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  })
  setStorageThread(db, thread)
  // Every commit there is a group's, which waits for the disk whenever a write in it must.
  setSyncLevel(db, 'NORMAL')
  return { db, dialect: 'sqlite', close: () => db.destroy() }
}
