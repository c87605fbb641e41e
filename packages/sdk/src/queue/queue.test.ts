import { messageText } from '../messages.ts'
import 'fake-indexeddb/auto'
import { newId, type HooklineEvent } from '@hookline/protocol'
import { describe, expect, it, vi } from 'vitest'
import { createQueue, type QueueOptions } from './queue.ts'
import { indexedDbStorage, memoryStorage, openStorage, type QueueStorage } from './storage.ts'

const event = (fields: Partial<HooklineEvent> = {}): HooklineEvent => ({
  id: newId('evt'),
  name: 'add-to-cart',
  ts: new Date().toISOString(),
  sessionId: 'ses_01JDA3Z5M2K8Q4T9R7W6X1Y0BC',
  ...fields,
})

let dbCount = 0
function setup(overrides: Partial<QueueOptions> & { storage?: QueueStorage } = {}) {
  const storage = overrides.storage ?? indexedDbStorage(`queue-test-${++dbCount}`)
  const stored: string[][] = []
  const dropped: Array<{ ids: string[]; evicted: boolean }> = []
  const errors: string[] = []
  const queue = createQueue({
    open: Promise.resolve(storage.all()).then((chunks) => ({ storage, chunks })),
    budgetBytes: 5_000_000,
    onStored: (chunks) => stored.push(chunks.flatMap(([, records]) => records.map(([id]) => id))),
    onDropped: (ids, _, evicted) => dropped.push({ ids, evicted }),
    onError: (code, ...args) => errors.push(messageText(code, args)),
    onChange: () => {},
    ...overrides,
  })
  return { queue, storage, stored, dropped, errors }
}

describe('queue', () => {
  it('writes every event of one task to storage in one coalesced write, in chunks of 100', async () => {
    const storage = memoryStorage()
    const put = vi.spyOn(storage, 'put')
    const { queue, stored } = setup({ storage })
    const events = Array.from({ length: 250 }, () => event())
    for (const e of events) queue.enqueue(e)
    expect(put).not.toHaveBeenCalled()
    await queue.persist()
    expect(put).toHaveBeenCalledTimes(1)
    const chunks = put.mock.calls[0]![0]
    expect(chunks.map(([key, records]) => [key, records.length])).toEqual([
      [events[0]!.id, 100],
      [events[100]!.id, 100],
      [events[200]!.id, 50],
    ])
    expect(chunks.flatMap(([, records]) => records.map(([id]) => id))).toEqual(events.map((e) => e.id))
    expect(stored).toEqual([events.map((e) => e.id)])
  })

  it('deletes a chunk once all its events are acknowledged, and only then', async () => {
    const name = `queue-chunks-${++dbCount}`
    const { queue } = setup({ storage: indexedDbStorage(name) })
    const events = Array.from({ length: 3 }, () => event())
    for (const e of events) queue.enqueue(e)
    await queue.persist()
    queue.remove([events[0]!.id, events[1]!.id])
    await queue.persist()
    expect((await indexedDbStorage(name).all()).map(([key]) => key)).toEqual([events[0]!.id])
    await queue.reload() // the acknowledged ones are not loaded again by this queue
    expect(queue.ids()).toEqual([events[2]!.id])
    queue.remove([events[2]!.id])
    await queue.persist()
    expect(await indexedDbStorage(name).all()).toEqual([])
  })

  it('keeps events in IndexedDB until they are acknowledged, across a new queue on the same database', async () => {
    const name = `queue-reload-${++dbCount}`
    const first = setup({ storage: indexedDbStorage(name) })
    const acked = [event(), event()]
    for (const e of acked) first.queue.enqueue(e)
    await first.queue.persist()
    first.queue.remove(acked.map((e) => e.id))
    const kept = [event(), event()]
    for (const e of kept) first.queue.enqueue(e)
    await first.queue.persist()

    const second = setup({ storage: indexedDbStorage(name) })
    await second.queue.ready
    expect(second.queue.ids()).toEqual(kept.map((e) => e.id))
    const batch = second.queue.take(100, 65536)
    expect(batch.map((r) => JSON.parse(r.json).id)).toEqual(kept.map((e) => e.id))
  })

  it('only hands out stored events, each once while in flight, within the event and byte limits', async () => {
    const { queue } = setup()
    const events = Array.from({ length: 5 }, () => event({ props: { pad: 'x'.repeat(100) } }))
    for (const e of events) queue.enqueue(e)
    expect(queue.take(100, 65536)).toEqual([]) // not written yet
    await queue.persist()
    const size = queue.peek(1, 65536)[0]!.json.length
    const first = queue.take(2, 65536)
    expect(first.map((r) => r.id)).toEqual([events[0]!.id, events[1]!.id])
    const second = queue.take(100, 64 + 2 * (size + 1))
    expect(second.map((r) => r.id)).toEqual([events[2]!.id, events[3]!.id])
    queue.release(first.map((r) => r.id))
    expect(queue.take(100, 65536).map((r) => r.id)).toEqual([events[0]!.id, events[1]!.id, events[4]!.id])
  })

  it('never resurrects an id acknowledged while its write was in flight', async () => {
    const name = `queue-race-${++dbCount}`
    const { queue } = setup({ storage: indexedDbStorage(name) })
    const e = event()
    queue.enqueue(e)
    await Promise.resolve()
    queue.remove([e.id])
    await queue.persist()
    expect(await indexedDbStorage(name).all()).toEqual([])
  })

  it('evicts the oldest events beyond the byte budget, counts them, and rewrites their chunk without them', async () => {
    const name = `queue-budget-${++dbCount}`
    const { queue, dropped } = setup({ storage: indexedDbStorage(name), budgetBytes: 10_000 })
    const first = Array.from({ length: 8 }, () => event({ props: { pad: 'x'.repeat(900) } }))
    for (const e of first) queue.enqueue(e)
    await queue.persist()
    expect(dropped).toEqual([])
    const second = Array.from({ length: 8 }, () => event({ props: { pad: 'x'.repeat(900) } }))
    for (const e of second) queue.enqueue(e)
    await queue.persist()
    const all = [...first, ...second]
    expect(queue.bytes).toBeLessThanOrEqual(10_000)
    const evicted = dropped.flatMap((d) => (d.evicted ? d.ids : []))
    expect(evicted.length).toBe(16 - queue.size)
    expect(evicted).toEqual(all.slice(0, evicted.length).map((e) => e.id))
    expect(queue.ids()).toEqual(all.slice(evicted.length).map((e) => e.id))
    // What a reload would find: exactly what is still queued.
    const stored = (await indexedDbStorage(name).all()).flatMap(([, records]) => records.map(([id]) => id))
    expect(stored).toEqual(queue.ids())
  })

  it('drops an event larger than 64 KiB instead of blocking the queue', async () => {
    const { queue, dropped } = setup()
    const big = event({ props: { pad: 'x'.repeat(70_000) } })
    const small = event()
    queue.enqueue(big)
    queue.enqueue(small)
    await queue.persist()
    expect(dropped).toEqual([{ ids: [big.id], evicted: false }])
    expect(queue.ids()).toEqual([small.id])
  })

  it('resolves settled() when every id has left, by acknowledgement or eviction', async () => {
    const { queue } = setup()
    const events = [event(), event()]
    for (const e of events) queue.enqueue(e)
    let done = false
    const settled = queue.settled(events.map((e) => e.id)).then(() => (done = true))
    queue.remove([events[0]!.id])
    await Promise.resolve()
    expect(done).toBe(false)
    queue.remove([events[1]!.id])
    await settled
    expect(done).toBe(true)
  })

  it('makes events sendable as their write starts, and deletes a chunk acknowledged before its write committed', async () => {
    const name = `queue-early-${++dbCount}`
    const storage = indexedDbStorage(name)
    let commit = () => {}
    const held = new Promise<void>((resolve) => (commit = resolve))
    const put = storage.put.bind(storage)
    const { queue, stored } = setup({
      storage: { ...storage, kind: 'indexeddb', put: (chunks) => held.then(() => put(chunks)) },
    })
    const events = [event(), event()]
    for (const e of events) queue.enqueue(e)
    await vi.waitFor(() => expect(stored).toEqual([events.map((e) => e.id)]))
    // The write is still held: the events go out now, and the answer comes before it commits.
    expect(queue.take(100, 65_536).map((record) => record.id)).toEqual(events.map((e) => e.id))
    expect(queue.remove(events.map((e) => e.id))).toHaveLength(2)
    commit()
    await queue.persist()
    expect(await indexedDbStorage(name).all()).toEqual([])
  })

  it('merges chunks written by another tab, once', async () => {
    const { queue } = setup()
    await queue.ready
    const e = event()
    queue.merge([[e.id, [[e.id, JSON.stringify(e)]]]])
    queue.merge([[e.id, [[e.id, JSON.stringify(e)]]]])
    expect(queue.size).toBe(1)
    expect(queue.take(10, 65536).map(({ id, json }) => ({ id, json }))).toEqual([{ id: e.id, json: JSON.stringify(e) }])
  })

  it('carries on in memory, and says so once, when storage fails', async () => {
    const storage: QueueStorage = {
      ...memoryStorage(),
      kind: 'indexeddb',
      put: () => Promise.reject(new Error('QuotaExceededError')),
    }
    const { queue, errors } = setup({ storage })
    queue.enqueue(event())
    await queue.persist()
    queue.enqueue(event())
    await queue.persist()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/QuotaExceededError.*memory/)
    expect(queue.storageKind).toBe('memory')
    expect(queue.take(10, 65536)).toHaveLength(2) // both still get sent
  })
})

describe('openStorage', () => {
  it('falls back to memory when IndexedDB is missing, and says why', async () => {
    const original = globalThis.indexedDB
    // @ts-expect-error simulate a browser without IndexedDB
    delete globalThis.indexedDB
    try {
      const reasons: string[] = []
      const { storage } = await openStorage('x', 'indexeddb', (code, ...args) => reasons.push(messageText(code, args)))
      expect(storage.kind).toBe('memory')
      expect(reasons).toEqual(['No IndexedDB: queue in memory, lost on reload'])
    } finally {
      globalThis.indexedDB = original
    }
  })
})
