import type { Queue } from '../queue/queue.ts'
import type { QueueRecord } from '../queue/entry.ts'
import { backoffDelay } from './backoff.ts'
import { isOnline } from './online.ts'
import type { Transport } from './transport.ts'

export interface SenderOptions {
  queue: Queue
  transport: Transport
  batchEvents: number
  batchBytes: number
  onSent(ids: string[], transport: 'fetch' | 'beacon'): void
  /** Acknowledged ids, and how many webhooks each acknowledged event goes to (when the relay said). */
  onAcked(ids: string[], deliveries: Readonly<Record<string, number>> | undefined): void
  onRejected(id: string, reason: string): void
  onRetry(reason: string, delayMs: number): void
}

export interface Sender {
  /** Whether this tab is the sending tab. */
  setLeader(leader: boolean): void
  /** Chunks were stored (by any tab): send now, unless a request is in flight (then they go in the next). */
  stored(): void
  /** The browser came online: forget the backoff and send now. */
  wake: () => void
  /** Send now (unless the relay asked to wait). */
  flush: () => void
  /** Page hide: hand what is queued to `sendBeacon` (it stays queued until acknowledged). */
  beacon(): void
  destroy(): void
}

/** Requests in flight at once (the stream holds one more of the browser's six connections per host). */
const MAX_INFLIGHT = 4

/**
 * Decides when the queue is sent, in batches of at most `batchEvents` events and `batchBytes` bytes.
 * What is stored goes at once when no request is in flight; what is stored while one is goes in the
 * next request, when that one is answered, so sends coalesce under load and no timer runs while
 * idle. Batches of `batchEvents` (a backlog) go up to four at a time. Only from the sending tab, only online;
 * backoff with jitter after a failure, never sooner than `Retry-After`.
 */
export function createSender(options: SenderOptions): Sender {
  const { queue, transport } = options
  let leader = false
  let inflight = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let backingOff = false
  let attempts = 0
  let destroyed = false

  function backOff(delay: number): void {
    clearTimeout(timer)
    backingOff = true
    timer = setTimeout(() => {
      timer = undefined
      backingOff = false
      drain()
    }, delay)
  }

  function disarm(): void {
    clearTimeout(timer)
    timer = undefined
    backingOff = false
  }

  function drain(): void {
    if (destroyed || !leader || backingOff || !isOnline()) return
    while (inflight < MAX_INFLIGHT) {
      const batch = queue.take(options.batchEvents, options.batchBytes)
      if (!batch.length) return
      // Beside a request in flight only a full batch goes; a partial one waits to coalesce.
      if (inflight && batch.length < options.batchEvents) {
        queue.release(batch.map((record) => record.id))
        return
      }
      inflight++
      void send(batch)
    }
  }

  async function send(batch: QueueRecord[]): Promise<void> {
    const ids = batch.map((record) => record.id)
    options.onSent(ids, 'fetch')
    const result = await transport.send(batch)
    inflight--
    if (destroyed) return
    queue.release(ids) // ids the answer does not settle go out again
    if (result.ok) {
      attempts = 0
      const removed = queue.remove(result.acked)
      if (removed.length) options.onAcked(removed, result.deliveries)
      for (const rejected of result.rejected) {
        if (!rejected.id || !queue.remove([rejected.id]).length) continue
        options.onRejected(rejected.id, rejected.error?.message ?? rejected.error?.code ?? 'rejected by relay')
      }
      drain()
      return
    }
    if ((result.status === 0 && !isOnline()) || backingOff) return // `online` will wake us; or a backoff is already set
    attempts++
    const delay = backoffDelay(attempts, result.retryAfterMs)
    options.onRetry(result.reason, delay)
    backOff(delay)
  }

  return {
    setLeader(value) {
      leader = value
      // A new sending tab sends what the queue holds at once.
      if (value) drain()
      else disarm()
    },
    stored: drain,
    wake() {
      attempts = 0
      disarm()
      drain()
    },
    flush: drain,
    beacon() {
      // Without sendBeacon, transport.beacon answers false.
      if (!leader || !isOnline()) return
      const batch = queue.peek(options.batchEvents, options.batchBytes)
      if (batch.length && transport.beacon(batch))
        options.onSent(
          batch.map((record) => record.id),
          'beacon',
        )
    },
    destroy() {
      destroyed = true
      disarm()
    },
  }
}
