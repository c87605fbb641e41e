import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely'
import { relaxedTransaction } from './db.ts'
import { storageThread } from './remote.ts'
import type { AttemptsTable, Database, DeliveriesTable } from './schema.ts'
import type { Dialect } from './types.ts'

/**
 * What a batch tells of a webhook's run of consecutive failures: `reset` when an attempt of the
 * batch succeeded (the run is then `count`, the failures after it), else `count` more failures.
 * Added to the stored run rather than written over it, so several relay nodes add up.
 */
export interface FailureRun {
  reset: boolean
  count: number
}

/** The result of one attempt, to be written with others in one transaction. */
export interface AttemptRecord {
  attempt: AttemptsTable
  /** The node whose claim the attempt ran under: the result is written only while that claim stands. */
  claimedBy: string
  /** The session lane it was the head of, or null: once written, the lane's next delivery may go. */
  lane: string | null
  delivery: Pick<
    DeliveriesTable,
    | 'id'
    | 'status'
    | 'attempts'
    | 'next_attempt_at'
    | 'last_status'
    | 'last_error'
    | 'finished_at'
    | 'latency_ms'
    | 'updated_at'
    | 'body'
    | 'out_of_order'
  >
}

// The delivery columns an attempt changes, in the order both statements below bind them.
const COLUMNS = [
  'status',
  'attempts',
  'updated_at',
  'next_attempt_at',
  'last_status',
  'last_error',
  'finished_at',
  'latency_ms',
  'body',
  'out_of_order',
] as const
const PG_TYPES: Record<(typeof COLUMNS)[number], string> = {
  status: 'text',
  attempts: 'integer',
  updated_at: 'bigint',
  next_attempt_at: 'bigint',
  last_status: 'integer',
  last_error: 'text',
  finished_at: 'bigint',
  latency_ms: 'integer',
  body: 'text',
  out_of_order: 'integer',
}
// PostgreSQL binds at most 65535 parameters a statement: 12 a row.
const PG_ROWS = 1000

/**
 * Writes attempt results and the webhooks' runs of failures in one transaction. Each result first
 * settles its queue row — deleted when the delivery is finished, unclaimed with its next time when
 * it is retried — but only if the node that made the attempt still holds the claim; a result whose
 * claim passed to another node meanwhile (this node's lease ran out) is dropped with its attempt
 * row, since that node sends the delivery again and logs its own attempt. Answers what was written.
 */
export async function writeAttempts(
  db: Kysely<Database>,
  dialect: Dialect,
  records: AttemptRecord[],
  webhookFailures: Map<string, FailureRun>,
): Promise<AttemptRecord[]> {
  const thread = storageThread(db)
  if (thread) {
    // Only the ids come back: the records stay the caller's own objects.
    const ids = new Set(await thread.run<string[]>('writeAttempts', [dialect, records, webhookFailures]))
    return records.filter((record) => ids.has(record.delivery.id))
  }
  return relaxedTransaction(db, dialect, async (tx) => {
    const written = dialect === 'postgres' ? await settlePostgres(tx, records) : await settleSqlite(tx, records)
    if (dialect === 'postgres') await updatePostgres(tx, written)
    else await updateSqlite(tx, written)
    for (let i = 0; i < written.length; i += 200) {
      await tx
        .insertInto('attempts')
        .values(written.slice(i, i + 200).map((record) => record.attempt))
        .execute()
    }
    for (const [id, { reset, count }] of webhookFailures) {
      await tx
        .updateTable('webhooks')
        .set((eb) => ({ consecutive_failures: reset ? eb.val(count) : eb('consecutive_failures', '+', count) }))
        .where('id', '=', id)
        .execute()
    }
    return written
  })
}

const finished = (record: AttemptRecord) => record.delivery.status !== 'pending'

/** SQLite: a statement per queue row, each prepared once (a statement costs microseconds here). */
async function settleSqlite(tx: Transaction<Database>, records: AttemptRecord[]): Promise<AttemptRecord[]> {
  const remove = tx.deleteFrom('delivery_queue').where('delivery_id', '=', '').where('claimed_by', '=', '').compile()
  const retry = tx
    .updateTable('delivery_queue')
    .set({ claimed_by: null, next_attempt_at: 0 })
    .where('delivery_id', '=', '')
    .where('claimed_by', '=', '')
    .compile()
  const written: AttemptRecord[] = []
  for (const record of records) {
    const { id, next_attempt_at } = record.delivery
    const result = finished(record)
      ? await tx.executeQuery(CompiledQuery.raw(remove.sql, [id, record.claimedBy]))
      : await tx.executeQuery(CompiledQuery.raw(retry.sql, [null, next_attempt_at, id, record.claimedBy]))
    if (Number(result.numAffectedRows ?? 0) > 0) written.push(record)
  }
  return written
}

/**
 * SQLite: one UPDATE per delivery, compiled once per batch. Only a pending delivery takes a
 * result: one an erasure cancelled meanwhile stays `erased` (its queue row is gone too, so the
 * settle above already dropped the record; this holds even if a caller skipped that).
 */
async function updateSqlite(tx: Transaction<Database>, records: AttemptRecord[]): Promise<void> {
  const update = tx
    .updateTable('deliveries')
    .set(Object.fromEntries(COLUMNS.map((column) => [column, 0])))
    .where('id', '=', '')
    .where('status', '=', 'pending')
    .compile()
  for (const { delivery } of records) {
    await tx.executeQuery(
      CompiledQuery.raw(update.sql, [...COLUMNS.map((column) => delivery[column]), delivery.id, 'pending']),
    )
  }
}

/**
 * PostgreSQL: a statement per thousand rows (`… USING/FROM (VALUES …)`), since a round trip per
 * row would let the write-behind fall seconds behind the sends under load.
 */
async function settlePostgres(tx: Transaction<Database>, records: AttemptRecord[]): Promise<AttemptRecord[]> {
  const settled = new Set<string>()
  const done = records.filter(finished)
  const retried = records.filter((record) => !finished(record))
  for (let i = 0; i < done.length; i += PG_ROWS) {
    const rows = done.slice(i, i + PG_ROWS).map((r) => sql`(${r.delivery.id}::text, ${r.claimedBy}::text)`)
    const { rows: removed } = await sql<{ id: string }>`
      DELETE FROM delivery_queue AS q USING (VALUES ${sql.join(rows)}) AS v(id, claimed_by)
      WHERE q.delivery_id = v.id AND q.claimed_by = v.claimed_by
      RETURNING q.delivery_id AS id`.execute(tx)
    for (const row of removed) settled.add(row.id)
  }
  for (let i = 0; i < retried.length; i += PG_ROWS) {
    const rows = retried
      .slice(i, i + PG_ROWS)
      .map((r) => sql`(${r.delivery.id}::text, ${r.claimedBy}::text, ${r.delivery.next_attempt_at}::bigint)`)
    const { rows: released } = await sql<{ id: string }>`
      UPDATE delivery_queue AS q SET claimed_by = NULL, next_attempt_at = v.next_attempt_at
      FROM (VALUES ${sql.join(rows)}) AS v(id, claimed_by, next_attempt_at)
      WHERE q.delivery_id = v.id AND q.claimed_by = v.claimed_by
      RETURNING q.delivery_id AS id`.execute(tx)
    for (const row of released) settled.add(row.id)
  }
  return records.filter((record) => settled.has(record.delivery.id))
}

/** PostgreSQL: the deliveries' new state, a thousand rows a statement; as on SQLite, only a pending delivery takes it. */
async function updatePostgres(tx: Transaction<Database>, records: AttemptRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += PG_ROWS) {
    const rows = records
      .slice(i, i + PG_ROWS)
      .map(
        ({ delivery }) =>
          sql`(${sql.join([
            sql`${delivery.id}::text`,
            ...COLUMNS.map((column) => sql`${delivery[column]}::${sql.raw(PG_TYPES[column])}`),
          ])})`,
      )
    await sql`
      UPDATE deliveries AS d SET
        ${sql.join(COLUMNS.map((column) => sql`${sql.ref(column)} = v.${sql.ref(column)}`))}
      FROM (VALUES ${sql.join(rows)}) AS v(id, ${sql.join(COLUMNS.map((column) => sql.ref(column)))})
      WHERE d.id = v.id AND d.status = 'pending'`.execute(tx)
  }
}
