import type { Kysely } from 'kysely'
import type { WebhookRegistry } from '../domain/webhook-registry.ts'
import type { Logger } from '../observability/log.ts'
import type { ClaimedDelivery } from '../storage/deliveries.ts'
import { claimOldestHeld, dueProbes, takeProbe } from '../storage/probes.ts'
import type { Database } from '../storage/schema.ts'
import type { Dialect } from '../storage/types.ts'
import type { Webhook } from '../storage/webhooks.ts'
import { probeDelay } from './probe-schedule.ts'

export interface RecoveryDeps {
  db: Kysely<Database>
  dialect: Dialect
  webhooks: WebhookRegistry
  log: Logger
  /** The backoff of probes (`DEFAULT_PROBE_SCHEDULE_MS` unless a test injects a faster one). */
  scheduleMs: readonly number[]
  /** The node id claims are made under. */
  node(): string
  /** How often due probes are looked for. */
  tickMs: number
  /** Sends the claimed delivery as a probe; resumes the webhook on a 2xx. */
  probe(row: ClaimedDelivery, webhook: Webhook): Promise<void>
}

/**
 * Self-recovery of webhooks paused by failures: when a webhook's next probe is due, its oldest
 * held delivery is sent once. A 2xx resumes it (the dispatcher drains the rest in order); anything
 * else leaves it paused, and the delivery held, until the next probe on the backoff. Webhooks
 * paused by hand, disabled ones, and those with `autoResume: false` are never probed. Several
 * relay nodes may look at once: moving `next_probe_at` on is a compare-and-set, so one node probes.
 */
export class Recovery {
  #timer: NodeJS.Timeout | undefined
  #stopped = true
  #running: Promise<void> = Promise.resolve()

  constructor(private readonly deps: RecoveryDeps) {}

  start(): void {
    this.#stopped = false
    this.#schedule()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#running
  }

  #schedule(): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .catch((error: unknown) => {
          this.deps.log.error('recovery probes failed', { error: error as Error })
        })
        .finally(() => {
          this.#schedule()
        })
    }, this.deps.tickMs)
    this.#timer.unref()
  }

  /** Runs the probes that are due now. */
  async tick(now = Date.now()): Promise<void> {
    const { db, webhooks, scheduleMs } = this.deps
    for (const due of await dueProbes(db, now)) {
      if (this.#stopped) return
      const webhook = await webhooks.get(due.id)
      if (!webhook) continue
      const step = due.probe_step + 1
      const delay = probeDelay(webhook, step, scheduleMs)
      const next = { at: delay === null ? null : now + delay, step }
      if (!(await takeProbe(db, due.id, due.next_probe_at, next))) continue
      webhook.nextProbeAt = next.at
      webhook.probeStep = step
      if (webhook.autoResume === false) continue
      const row = await claimOldestHeld(db, this.deps.dialect, webhook.id, this.deps.node())
      // Nothing held: nothing to probe with; the next new delivery is held and probed.
      if (!row) continue
      this.deps.log.info('recovery probe', { webhookId: webhook.id, deliveryId: row.id, probe: step })
      await this.deps.probe(row, webhook)
    }
  }
}
