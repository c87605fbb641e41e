import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Logger } from '../observability/log.ts'
import { dropNode, registerNode, releaseLapsedClaims, renewNode } from '../storage/node-leases.ts'
import type { Database } from '../storage/schema.ts'
import type { Dialect } from '../storage/types.ts'

/** A node's claims last this long past its last renewal (PostgreSQL). */
export const LEASE_MS = 5_000
/** How often a live node renews its lease and releases the claims of nodes whose lease ran out. */
export const RENEW_MS = 1_500
/**
 * A node starts no attempt once its last confirmed renewal is older than the lease less this: by
 * then its claims may be about to pass to another node, and an attempt started now could be sent
 * twice while both nodes live.
 */
const MARGIN_MS = 1_500

export interface NodeLeaseEvents {
  /** The lease ran out before it could be renewed: whatever was claimed under the old id is given up. */
  lapsed(): void
  /** Claims of dead nodes were released, or this node may start attempts again. */
  due(): void
}

/**
 * The lease under which this node's dispatcher holds its claims. On PostgreSQL it is a row renewed
 * every `RENEW_MS`: a node SIGKILLed mid-run loses its claims `LEASE_MS` after its last renewal,
 * and the next renewal of any other node (at most `RENEW_MS` later) makes them due again. A live
 * node that could not renew in time (a stalled event loop, an unreachable database) starts nothing
 * more and, should its lease have run out, gives up its claims and takes a new id. On SQLite (one
 * node) the lease is always held.
 */
export class NodeLease {
  #id = `node_${randomUUID()}`
  #confirmedAt = -Infinity
  #timer: NodeJS.Timeout | undefined
  #renewing: Promise<void> = Promise.resolve()
  #wasHeld = false

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly log: Logger,
    private readonly events: NodeLeaseEvents,
  ) {}

  /** What this node writes into `claimed_by`. */
  get id(): string {
    return this.#id
  }

  /** Whether an attempt may start now: the lease is certain to last a while yet. */
  held(): boolean {
    if (this.dialect === 'sqlite') return true
    return performance.now() < this.#confirmedAt + LEASE_MS - MARGIN_MS
  }

  /** Takes the lease and keeps renewing it; answers how many deliveries of dead nodes it released. */
  async start(): Promise<number> {
    if (this.dialect === 'sqlite') return 0
    const sentAt = performance.now()
    await registerNode(this.db, this.#id, LEASE_MS)
    this.#confirmedAt = sentAt
    this.#wasHeld = true
    const released = await releaseLapsedClaims(this.db)
    this.#timer = setInterval(() => {
      this.#renewing = this.#renewing.then(() => this.#renew())
    }, RENEW_MS)
    return released
  }

  /**
   * Stops renewing and ends the lease, so other nodes retake what this one still held at their next
   * renewal, without waiting for the lease to run out. (The relay closes its delivery client right
   * after, cutting the attempts still in flight, well within the other nodes' `RENEW_MS`.)
   */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#renewing
    if (this.dialect === 'postgres' && this.#wasHeld) await dropNode(this.db, this.#id).catch(() => {})
    this.#confirmedAt = -Infinity
  }

  async #renew(): Promise<void> {
    if (!this.#timer) return
    try {
      const sentAt = performance.now()
      if (!(await renewNode(this.db, this.#id, LEASE_MS))) {
        const old = this.#id
        this.#id = `node_${randomUUID()}`
        this.log.warn('node lease ran out before it was renewed; its claims are given up', { node: old })
        this.events.lapsed()
        await registerNode(this.db, this.#id, LEASE_MS)
      }
      const before = this.held()
      this.#confirmedAt = sentAt
      const released = await releaseLapsedClaims(this.db)
      if (released > 0) this.log.info('deliveries of stopped nodes retaken', { count: released })
      if (released > 0 || !before) this.events.due()
    } catch (error) {
      this.log.error('renewing the node lease failed', { error: error as Error })
    }
  }
}
