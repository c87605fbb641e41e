import type { Kysely } from 'kysely'
import type { Logger } from '../observability/log.ts'
import { pruneBatch } from '../storage/retention.ts'
import type { Database } from '../storage/schema.ts'

const DAY_MS = 24 * 60 * 60 * 1000
/** Rows per table per batch: small, so a prune never holds the database for long. */
const BATCH = 500
/** Batches per run; the next run goes on where this one stopped. */
const BATCHES_PER_RUN = 40
const EVERY_MS = 10 * 60 * 1000

/**
 * `HOOKLINE_RETENTION_DAYS`: prunes events, deliveries, attempts and stream frames older than
 * that, in the background (a run a few seconds after start, then every 10 minutes), in small
 * batches that let other work in between, and never a pending or held delivery (nor its event).
 */
export class Retention {
  #timer: NodeJS.Timeout | undefined
  #running: Promise<unknown> = Promise.resolve()
  #stopped = true

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    private readonly days: number,
  ) {}

  start(firstInMs = 5_000): void {
    this.#stopped = false
    this.#schedule(firstInMs)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#running
  }

  /** One run: batches until nothing older than the cutoff is left, or the run's budget is spent. */
  async prune(now = Date.now()): Promise<{ attempts: number; deliveries: number; events: number; frames: number }> {
    const cutoff = now - this.days * DAY_MS
    const total = { attempts: 0, deliveries: 0, events: 0, frames: 0 }
    for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
      const counts = await pruneBatch(this.db, cutoff, BATCH)
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += counts[key]
      if (Object.values(counts).every((count) => count < BATCH)) break
      // Let requests in between batches.
      await new Promise((resolve) => setImmediate(resolve))
    }
    if (Object.values(total).some((count) => count > 0))
      this.log.info('retention pruned', { days: this.days, ...total })
    return total
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#running = this.prune()
        .catch((error: unknown) => {
          this.log.error('retention prune failed', { error: error as Error })
        })
        .finally(() => {
          this.#schedule(EVERY_MS)
        })
    }, delayMs)
    this.#timer.unref()
  }
}
