import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely'
import { relaxedTransaction } from './db.ts'
import type { AttemptsTable, Database, DeliveriesTable } from './schema.ts'
import type { Dialect } from './types.ts'

/** The result of one attempt, to be written with others in one transaction. */
export interface AttemptRecord {
  attempt: AttemptsTable
  /** The node whose claim the attempt ran under: the result is written only while that claim stands. */
  claimedBy: string
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
}
// PostgreSQL binds at most 65535 parameters a statement: 10 a row.
const PG_ROWS = 1000

/**
 * Writes attempt results and the webhooks' failure counts in one transaction. A delivery's new
 * state is written only if it is still claimed by the node that made the attempt; a result whose
 * claim passed to another node meanwhile (this node's lease ran out) is dropped with its attempt
 * row, since that node sends the delivery again and logs its own attempt. Answers what was written.
 */
export async function writeAttempts(
  db: Kysely<Database>,
  dialect: Dialect,
  records: AttemptRecord[],
  webhookFailures: Map<string, number>,
): Promise<AttemptRecord[]> {
  return relaxedTransaction(db, dialect, async (tx) => {
    const written = dialect === 'postgres' ? await updatePostgres(tx, records) : await updateSqlite(tx, records)
    for (let i = 0; i < written.length; i += 200) {
      await tx
        .insertInto('attempts')
        .values(written.slice(i, i + 200).map((record) => record.attempt))
        .execute()
    }
    for (const [id, failures] of webhookFailures) {
      await tx.updateTable('webhooks').set({ consecutive_failures: failures }).where('id', '=', id).execute()
    }
    return written
  })
}

/** SQLite: one UPDATE per delivery, compiled once per batch (a prepared statement costs microseconds here). */
async function updateSqlite(tx: Transaction<Database>, records: AttemptRecord[]): Promise<AttemptRecord[]> {
  const update = tx
    .updateTable('deliveries')
    .set({ ...Object.fromEntries(COLUMNS.map((column) => [column, 0])), lease_until: null, claimed_by: null })
    .where('id', '=', '')
    .where('claimed_by', '=', '')
    .compile()
  const written: AttemptRecord[] = []
  for (const record of records) {
    const { delivery } = record
    const values = [...COLUMNS.map((column) => delivery[column]), null, null, delivery.id, record.claimedBy]
    const result = await tx.executeQuery(CompiledQuery.raw(update.sql, values))
    if (Number(result.numAffectedRows ?? 0) > 0) written.push(record)
  }
  return written
}

/**
 * PostgreSQL: one `UPDATE … FROM (VALUES …)` per thousand deliveries, since a round trip per row
 * would let the write-behind fall seconds behind the sends under load.
 */
async function updatePostgres(tx: Transaction<Database>, records: AttemptRecord[]): Promise<AttemptRecord[]> {
  const written = new Set<string>()
  for (let i = 0; i < records.length; i += PG_ROWS) {
    const rows = records
      .slice(i, i + PG_ROWS)
      .map(
        ({ delivery, claimedBy }) =>
          sql`(${sql.join([
            sql`${delivery.id}::text`,
            sql`${claimedBy}::text`,
            ...COLUMNS.map((column) => sql`${delivery[column]}::${sql.raw(PG_TYPES[column])}`),
          ])})`,
      )
    const { rows: updated } = await sql<{ id: string }>`
      UPDATE deliveries AS d SET
        ${sql.join(COLUMNS.map((column) => sql`${sql.ref(column)} = v.${sql.ref(column)}`))},
        lease_until = NULL, claimed_by = NULL
      FROM (VALUES ${sql.join(rows)}) AS v(id, claimed_by, ${sql.join(COLUMNS.map((column) => sql.ref(column)))})
      WHERE d.id = v.id AND d.claimed_by = v.claimed_by
      RETURNING d.id`.execute(tx)
    for (const row of updated) written.add(row.id)
  }
  return records.filter((record) => written.has(record.delivery.id))
}
