import type { HooklineEvent } from '@hookline/protocol'
import type { Optimistic } from '../live/optimistic.ts'
import type { Log } from '../log.ts'
import type { NormalizedOptions } from '../options.ts'
import { createQueue } from '../queue/queue.ts'
import { openStorage } from '../queue/storage.ts'
import type { SetStatus } from '../status.ts'
import { electLeader } from './leader.ts'
import { createSender } from './sender.ts'
import { openTabs } from './tabs.ts'
import type { Transport } from './transport.ts'

export interface Outbox {
  /** Queues an event (see `Queue.enqueue`). */
  enqueue: (event: HooklineEvent, at: number) => void
  /** `hl.flush()`: sends now; resolves once every event queued now has left the queue. */
  flush: () => Promise<void>
  /** The page is being hidden: write what is unwritten, and beacon what is queued (it stays queued). */
  hide: () => void
  /** The browser came online: send now. */
  wake: () => void
  /** Ids acknowledged by the stream's `ack` frame (events that left by beacon), with their fan-out. */
  acked: (ids: readonly string[], deliveries?: Readonly<Record<string, number>>) => void
  destroy: () => void
}

/** Acknowledged ids go to the other tabs (their `flush()` and memory) at most this often. */
const ANNOUNCE_ACKS_MS = 100
const RESTORED_NAMED = 100

/**
 * Events out, across the tabs sharing one queue: each tab writes to the queue; the one holding the
 * Web Lock sends it, and the others tell it what they stored. Acknowledgements and rejections go
 * back to every tab, so each forgets the ids and rolls back its own optimistic updates (`optimistic`
 * also rolls back evicted events). `scope` names the database, the lock and the channel.
 */
export function createOutbox(
  scope: string,
  options: Pick<NormalizedOptions, 'storage' | 'budgetBytes' | 'batchEvents' | 'batchBytes'>,
  transport: Transport,
  log: Log,
  setStatus: SetStatus,
  optimistic: Optimistic,
): Outbox {
  const tabs = openTabs(scope)
  const acks: string[] = []
  let fanOuts: Record<string, number> = {}
  let evicted = 0
  let destroyed = false

  const rejected = (eventId: string, reason: string): void => {
    log.add({ kind: 'rejected', eventId, reason })
    optimistic.rollBack(eventId, `rejected: ${reason}`)
  }
  /**
   * Ids that left the queue acknowledged: logged, and announced to the other tabs with how many
   * webhooks each goes to, since the tab that fired an event settles its optimistic update.
   */
  const acknowledged = (eventIds: string[], deliveries: Readonly<Record<string, number>> = {}): void => {
    log.add({ kind: 'acknowledged', eventIds })
    optimistic.fanOut(deliveries)
    if (!acks.length)
      setTimeout(() => {
        tabs.post({ t: 'acked', ids: acks.splice(0), deliveries: fanOuts })
        fanOuts = {}
      }, ANNOUNCE_ACKS_MS)
    acks.push(...eventIds)
    Object.assign(fanOuts, deliveries)
  }

  const opened = openStorage(scope, options.storage, (code, ...args) => {
    log.warn(code, ...args)
    setStatus({ storage: 'memory' })
  })
  const queue = createQueue({
    open: opened,
    budgetBytes: options.budgetBytes,
    onStored(chunks) {
      for (const [, records] of chunks)
        for (const [eventId] of records) log.add({ kind: 'queued', eventId, depth: queue.size })
      setStatus({ queued: queue.size })
      tabs.toSender({ t: 'stored', chunks })
    },
    onDropped(ids, reason, wasEvicted) {
      if (!wasEvicted) {
        for (const id of ids) rejected(id, reason)
        return
      }
      evicted += ids.length
      log.add({ kind: 'evicted', count: ids.length })
      log.warn('HL22', options.budgetBytes)
      setStatus({ evicted })
      for (const id of ids) optimistic.rollBack(id, `evicted: ${reason}`)
    },
    onError(code, ...args) {
      log.warn(code, ...args)
      setStatus({ storage: queue.storageKind })
    },
    onChange: () => setStatus({ queued: queue.size }),
  })

  // Events an earlier page queued keep their names in the log (the last RESTORED_NAMED of them).
  void opened.then(({ chunks }) => {
    const records = chunks.flatMap(([, list]) => list).slice(-RESTORED_NAMED)
    for (const [eventId, json] of records)
      log.add({ kind: 'queued', eventId, depth: records.length, name: /"name":"([^"\\]+)"/.exec(json)?.[1] })
  })
  const sender = createSender({
    ...options,
    queue,
    transport,
    onSent: (eventIds, via) => log.add({ kind: 'sent', eventIds, transport: via }),
    onAcked: acknowledged,
    onRejected(id, reason) {
      rejected(id, reason)
      tabs.post({ t: 'rejected', id, reason })
    },
    onRetry: (reason, delayMs) => log.note('HL24', reason, Math.round(delayMs / 100) / 10),
  })

  tabs.listen((message, local) => {
    if (message.t === 'stored') {
      if (!tabs.sending) return
      if (!local) queue.merge(message.chunks)
      sender.stored()
    } else if (message.t === 'acked') {
      queue.remove(message.ids, false)
      optimistic.fanOut(message.deliveries)
    } else if (queue.remove([message.id], false).length || optimistic.has(message.id))
      rejected(message.id, message.reason)
  })

  const lead = (leader: boolean): void => {
    tabs.sending = leader
    sender.setLeader(leader)
  }
  const release = electLeader(
    scope,
    (leader) => {
      setStatus({ sender: leader })
      // A new sending tab first reads what the others stored, so it sends that too.
      if (leader) void queue.reload().then(() => !destroyed && lead(true))
      else lead(false)
    },
    log.warn,
  )

  return {
    enqueue: queue.enqueue,
    async flush() {
      await queue.ready
      const ids = queue.ids()
      if (!ids.length) return
      await queue.persist()
      sender.flush()
      await queue.settled(ids)
    },
    hide() {
      void queue.persist()
      sender.beacon()
    },
    wake: sender.wake,
    acked(ids, deliveries) {
      const removed = queue.remove(ids)
      if (removed.length) acknowledged(removed, deliveries)
      // Also when the answer to the request already acknowledged them: the stream may carry the count.
      else optimistic.fanOut(deliveries ?? {})
    },
    destroy() {
      destroyed = true
      void queue.persist()
      sender.destroy()
      release()
      tabs.close()
    },
  }
}
