import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import type { SyncLevel } from './sqlite.ts'
import { workerOps } from './worker-ops.ts'
import { toWire, type ThreadReply, type ThreadRequest } from './worker-protocol.ts'

/**
 * The SQLite worker's loop (`sqlite-worker.ts`): every request that arrives while the thread is
 * busy joins one transaction, committed when the thread has nothing left to read — one disk sync
 * for the whole group, taken on this thread, not the relay's event loop. A write is answered only
 * after that commit returns (durable before the 202); reads and writes alike, so a caller never
 * sees a row the disk may yet lose. Each request runs in a savepoint of its own, so one that fails
 * undoes only itself. A transaction opened by the relay's thread (statement by statement) holds
 * the connection: requests from elsewhere wait until it ends, as with SQLite's single connection.
 */
export class GroupCommit {
  #inbox: ThreadRequest[] = []
  #running = false
  #scheduled = false
  #open = false
  /**
   * How the open group's commit waits for the disk. SQLite fixes it before a transaction begins, so
   * a group of bookkeeping alone (claims, attempt results: `relaxed`) is opened without the wait,
   * and a write that needs it commits that group first and opens one that waits.
   */
  #groupLevel: SyncLevel
  /** The relay-side transaction holding the connection, if any. */
  #txn: number | null = null
  /** Answers held until the group commits. */
  #held: ThreadReply[] = []

  constructor(
    private readonly file: SQLite.Database,
    /** A Kysely whose transactions are savepoints in the group (`sqlite-worker.ts`). */
    private readonly ops: Kysely<Database>,
    private readonly level: SyncLevel,
    private readonly send: (replies: ThreadReply[]) => void,
  ) {
    this.#groupLevel = level
  }

  receive(request: ThreadRequest): void {
    this.#inbox.push(request)
    void this.#pump()
  }

  /** Commits what is open and closes the file (the relay is stopping). */
  close(): void {
    this.#commit()
    this.file.close()
  }

  async #pump(): Promise<void> {
    if (this.#running) return
    this.#running = true
    try {
      for (let request = this.#take(); request; request = this.#take()) await this.#handle(request)
    } finally {
      this.#running = false
    }
    // After every message already delivered to this thread: those arriving during the commit form the next group.
    if (this.#open && this.#txn === null && !this.#scheduled) {
      this.#scheduled = true
      setImmediate(() => {
        this.#scheduled = false
        if (!this.#running && this.#txn === null) this.#commit()
      })
    }
  }

  /** The next request that may run now: while a transaction is open, only its own. */
  #take(): ThreadRequest | undefined {
    if (this.#txn === null) return this.#inbox.shift()
    const index = this.#inbox.findIndex((request) => 'txn' in request && request.txn === this.#txn)
    return index < 0 ? undefined : this.#inbox.splice(index, 1)[0]
  }

  async #handle(request: ThreadRequest): Promise<void> {
    const { id } = request
    try {
      switch (request.kind) {
        case 'op': {
          const op = workerOps[request.name]
          if (!op) throw new Error(`No storage operation named ${request.name}`)
          this.#begin(!op.relaxed)
          const value = await op.run(this.ops, request.args)
          this.#held.push({ id, value })
          return
        }
        case 'query': {
          const statement = this.file.prepare(request.sql)
          if (request.txn !== null) {
            this.send([{ id, value: run(statement, request.params) }])
            return
          }
          this.#begin(!statement.reader)
          this.#held.push({ id, value: run(statement, request.params) })
          return
        }
        case 'begin':
          this.#begin(true)
          this.file.exec('SAVEPOINT relay_txn')
          this.#txn = request.txn
          this.send([{ id, value: null }])
          return
        case 'commit':
          this.#txn = null
          this.file.exec('RELEASE relay_txn')
          this.#held.push({ id, value: null })
          return
        case 'rollback':
          this.#txn = null
          this.file.exec('ROLLBACK TO relay_txn; RELEASE relay_txn')
          this.send([{ id, value: null }])
          return
        case 'close':
          this.close()
          this.send([{ id, value: null }])
          return
      }
    } catch (error) {
      this.#lostGroup(error)
      this.send([{ id, error: toWire(error) }])
    }
  }

  /** Opens a group if none is open; `durable`: the request must be on disk before it is answered. */
  #begin(durable: boolean): void {
    const level: SyncLevel = durable ? this.level : 'NORMAL'
    if (this.#open) {
      if (level === this.#groupLevel || level === 'NORMAL') return
      this.#commit()
    }
    if (level !== this.#groupLevel) {
      this.file.pragma(`synchronous = ${level}`)
      this.#groupLevel = level
    }
    // IMMEDIATE: the group writes, and another process's write in between would fail its upgrade.
    this.file.exec('BEGIN IMMEDIATE')
    this.#open = true
  }

  #commit(): void {
    if (!this.#open) return
    const held = this.#held
    this.#held = []
    this.#open = false
    try {
      this.file.exec('COMMIT')
    } catch (error) {
      if (this.file.inTransaction) this.file.exec('ROLLBACK')
      this.send(held.map(({ id }) => ({ id, error: toWire(error) })))
      return
    }
    if (held.length > 0) this.send(held)
  }

  /** Some errors (a full disk, I/O) roll back the whole group: everything held in it failed too. */
  #lostGroup(error: unknown): void {
    if (!this.#open || this.file.inTransaction) return
    this.#open = false
    this.#txn = null
    const held = this.#held
    this.#held = []
    this.send(held.map(({ id }) => ({ id, error: toWire(error) })))
  }
}

/** One statement, answered as Kysely's SQLite driver answers it. */
function run(statement: SQLite.Statement, params: readonly unknown[]): unknown {
  if (statement.reader) return { rows: statement.all(...params) }
  const { changes, lastInsertRowid } = statement.run(...params)
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) }
}
