import type { Kysely } from 'kysely'
import type { Logger } from '../observability/log.ts'
import { writeAttempts, type AttemptRecord, type FailureRun } from '../storage/attempt-results.ts'
import type { Database } from '../storage/schema.ts'
import type { Dialect } from '../storage/types.ts'
import { failureCounts } from '../storage/webhooks.ts'

/** Records written at once, without waiting for the timer. */
const BATCH = 256
const RETRY_MS = 200

/**
 * Write-behind of attempt results: each attempt, its delivery's new state and the webhooks'
 * failure counts are written together in small batches. A crash before a batch is written only
 * means those deliveries are sent again, with the same `webhook-id`; a batch that fails to write
 * is kept for the next one, its deliveries still claimed, never lost.
 */
export class AttemptLog {
  #records: AttemptRecord[] = []
  #failures = new Map<string, FailureRun>()
  #flushTimer: NodeJS.Timeout | undefined
  #soon: NodeJS.Immediate | undefined
  #flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly log: Logger,
    private readonly flushMs: number,
    /** Called after each batch was written. */
    private readonly written: (records: AttemptRecord[]) => Promise<void>,
    /** Called after a batch with failure runs was written: the runs as stored now, all nodes' together. */
    private readonly counted: (counts: Map<string, number>) => Promise<void> = () => Promise.resolve(),
  ) {}

  /**
   * Buffers a result. A session lane's head is written at the end of this turn of the event loop
   * rather than after `flushMs`: its lane's next delivery waits for it, so the timer would pace the
   * lane at one request per `flushMs`. Results landing in the same turn still share a transaction.
   */
  record(record: AttemptRecord): void {
    this.#records.push(record)
    if (this.#records.length >= BATCH) void this.flush()
    else if (record.lane !== null) this.#soon ??= setImmediate(() => void this.flush())
    else this.#flushTimer ??= setTimeout(() => void this.flush(), this.flushMs)
  }

  /** An attempt of this webhook succeeded (the run of failures starts again) or failed: written with the next batch. */
  outcome(webhookId: string, delivered: boolean): void {
    const run = this.#failures.get(webhookId)
    if (delivered) this.#failures.set(webhookId, { reset: true, count: 0 })
    else if (run) run.count++
    else this.#failures.set(webhookId, { reset: false, count: 1 })
  }

  /** What this node has seen of a webhook's run of failures that is not written yet. */
  unwritten(webhookId: string): FailureRun | undefined {
    return this.#failures.get(webhookId)
  }

  /** Writes what is buffered now. */
  flush(): Promise<void> {
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    clearImmediate(this.#soon)
    this.#soon = undefined
    this.#flushing = this.#flushing.then(() => this.#write())
    return this.#flushing
  }

  async #write(): Promise<void> {
    const records = this.#records
    const failures = this.#failures
    if (records.length === 0 && failures.size === 0) return
    this.#records = []
    this.#failures = new Map()
    let written: AttemptRecord[]
    try {
      written = await writeAttempts(this.db, this.dialect, records, failures)
    } catch (error) {
      // Keep them for the next flush; until then the deliveries stay claimed, never lost.
      this.#records.unshift(...records)
      for (const [id, older] of failures) {
        const newer = this.#failures.get(id)
        this.#failures.set(
          id,
          !newer ? older : newer.reset ? newer : { reset: older.reset, count: older.count + newer.count },
        )
      }
      this.log.error('writing attempts failed', { count: records.length, error: error as Error })
      this.#flushTimer ??= setTimeout(() => void this.flush(), RETRY_MS)
      return
    }
    if (written.length < records.length) {
      this.log.warn('attempt results dropped: their claims had passed to another node', {
        count: records.length - written.length,
      })
    }
    await this.written(written)
    if (failures.size === 0) return
    try {
      await this.counted(await failureCounts(this.db, [...failures.keys()]))
    } catch (error) {
      this.log.warn('reading failure counts failed', { error: error as Error })
    }
  }
}
