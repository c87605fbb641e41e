import type SQLite from 'better-sqlite3'
import { sql, type Kysely, type Transaction } from 'kysely'
import { relaxedTransaction } from './db.ts'
import { storageThread } from './remote.ts'
import type { AttemptsTable, Database, DeliveriesTable } from './schema.ts'
import { columnsOf, insertSql, rawWrite, valuesOf } from './sqlite-raw.ts'
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
  const raw = await rawWrite(db, true, (file) => writeSqlite(file, records, webhookFailures))
  if (raw) return raw.value
  return relaxedTransaction(db, dialect, async (tx) => {
    const written = await settlePostgres(tx, records)
    await updatePostgres(tx, written)
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

const ATTEMPT_COLUMNS = columnsOf<AttemptsTable>({
  id: true,
  delivery_id: true,
  project_id: true,
  webhook_id: true,
  attempt: true,
  started_at: true,
  latency_ms: true,
  request_headers: true,
  request_body: true,
  response_status: true,
  response_headers: true,
  response_body: true,
  error: true,
})
const SQLITE = {
  remove: 'DELETE FROM delivery_queue WHERE delivery_id = ? AND claimed_by = ?',
  retry: 'UPDATE delivery_queue SET claimed_by = NULL, next_attempt_at = ? WHERE delivery_id = ? AND claimed_by = ?',
  // Only a pending delivery takes a result: one an erasure cancelled meanwhile stays `erased` (its
  // queue row is gone too, so the settle already dropped the record; this holds even so).
  update: `UPDATE deliveries SET ${COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE id = ? AND status = 'pending'`,
  attempt: insertSql('attempts', ATTEMPT_COLUMNS),
  setFailures: 'UPDATE webhooks SET consecutive_failures = ? WHERE id = ?',
  addFailures: 'UPDATE webhooks SET consecutive_failures = consecutive_failures + ? WHERE id = ?',
}

/**
 * SQLite, in one synchronous call of prepared statements (`sqlite-raw.ts`): a statement per row,
 * each costing microseconds, with nothing built per call.
 */
function writeSqlite(
  file: SQLite.Database,
  records: AttemptRecord[],
  webhookFailures: Map<string, FailureRun>,
): AttemptRecord[] {
  const remove = file.prepare(SQLITE.remove)
  const retry = file.prepare(SQLITE.retry)
  const update = file.prepare(SQLITE.update)
  const insert = file.prepare(SQLITE.attempt)
  const written: AttemptRecord[] = []
  for (const record of records) {
    const { delivery, claimedBy } = record
    const settled = finished(record)
      ? remove.run(delivery.id, claimedBy)
      : retry.run(delivery.next_attempt_at, delivery.id, claimedBy)
    if (settled.changes === 0) continue
    written.push(record)
    update.run(...COLUMNS.map((column) => delivery[column]), delivery.id)
    insert.run(...valuesOf(record.attempt, ATTEMPT_COLUMNS))
  }
  for (const [id, { reset, count }] of webhookFailures) {
    file.prepare(reset ? SQLITE.setFailures : SQLITE.addFailures).run(count, id)
  }
  return written
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
