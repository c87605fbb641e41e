import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Chunk } from '../queue/storage.ts'
import { createQueue } from '../queue/queue.ts'
import { memoryStorage } from '../queue/storage.ts'
import { createSender, type SenderOptions } from './sender.ts'
import type { SendResult, Transport } from './transport.ts'

let n = 0
const event = () => ({
  id: `evt_${String(++n).padStart(26, '0')}`,
  name: 'tap',
  ts: new Date().toISOString(),
  sessionId: 'ses_x',
})

function setup(
  overrides: Partial<SenderOptions> = {},
  answer: (ids: string[]) => SendResult | Promise<SendResult> = (ids) => ({
    ok: true,
    acked: ids,
    rejected: [],
  }),
) {
  const sends: string[][] = []
  const beacons: string[][] = []
  const transport: Transport = {
    send: async (records) => {
      const ids = records.map((r) => r.id)
      sends.push(ids)
      return answer(ids)
    },
    beacon: (records) => (beacons.push(records.map((r) => r.id)), true),
    config: () => Promise.resolve(Response.json({ events: [], variables: {} })),
    streamUrl: () => '',
  }
  const acked: string[] = []
  const rejected: Array<[string, string]> = []
  const retries: number[] = []
  // The queue tells the sender what it stored; the sender is made from the queue, just below.
  let toSender: (chunks: Chunk[]) => void = () => {}
  const queue = createQueue({
    open: Promise.resolve({ storage: memoryStorage(), chunks: [] }),
    budgetBytes: 5_000_000,
    onStored: (chunks) => toSender(chunks),
    onDropped: () => {},
    onError: () => {},
    onChange: () => {},
  })
  const sender = createSender({
    queue,
    transport,
    batchEvents: 100,
    batchBytes: 65536,
    onSent: () => {},
    onAcked: (ids) => acked.push(...ids),
    onRejected: (id, reason) => rejected.push([id, reason]),
    onRetry: (_, delay) => retries.push(delay),
    ...overrides,
  })
  toSender = () => sender.stored()
  return {
    queue,
    sender,
    sends,
    beacons,
    acked,
    rejected,
    retries,
  }
}

/** What `navigator.onLine` answers. */
let online = true
beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(Math, 'random').mockReturnValue(0.5)
  online = true
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online)
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('sender', () => {
  it('sends what is stored at once, with no timer, when nothing is in flight', async () => {
    const { queue, sender, sends, acked } = setup()
    sender.setLeader(true)
    const events = [event(), event(), event()]
    for (const e of events) queue.enqueue(e)
    await queue.persist()
    await vi.advanceTimersByTimeAsync(0)
    expect(sends).toEqual([events.map((e) => e.id)])
    expect(acked).toEqual(events.map((e) => e.id))
    expect(queue.size).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('coalesces what arrives while a request is in flight into the next request', async () => {
    const pending: Array<() => void> = []
    const { queue, sender, sends } = setup(
      {},
      (ids) => new Promise((resolve) => pending.push(() => resolve({ ok: true, acked: ids, rejected: [] }))),
    )
    sender.setLeader(true)
    const first = event()
    queue.enqueue(first)
    await vi.advanceTimersByTimeAsync(0)
    expect(sends).toEqual([[first.id]])
    const later = [event(), event(), event()]
    for (const e of later) {
      queue.enqueue(e)
      await vi.advanceTimersByTimeAsync(0) // each in a task of its own
    }
    expect(sends).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
    pending.shift()!()
    await vi.advanceTimersByTimeAsync(0)
    expect(sends).toEqual([[first.id], later.map((e) => e.id)])
    pending.shift()!()
    await vi.advanceTimersByTimeAsync(0)
    expect(queue.size).toBe(0)
  })

  it('sends at most 100 events a request', async () => {
    const { queue, sender, sends } = setup()
    sender.setLeader(true)
    for (let i = 0; i < 250; i++) queue.enqueue(event())
    await vi.advanceTimersByTimeAsync(10)
    expect(sends.map((ids) => ids.length)).toEqual([100, 100, 50])
  })

  it('keeps a request within 64 KiB', async () => {
    const { queue, sender, sends } = setup()
    sender.setLeader(true)
    for (let i = 0; i < 40; i++) queue.enqueue({ ...event(), props: { text: 'x'.repeat(4000) } })
    await vi.advanceTimersByTimeAsync(10)
    expect(sends.length).toBeGreaterThan(2)
    expect(sends.flat()).toHaveLength(40)
    for (const ids of sends) expect(ids.length * 4100).toBeLessThan(65536)
  })

  it('hands the fan-out of acknowledged events on', async () => {
    const fanOuts: unknown[] = []
    const { queue, sender } = setup({ onAcked: (_, deliveries) => fanOuts.push(deliveries) }, (ids) => ({
      ok: true,
      acked: ids,
      rejected: [],
      deliveries: { [ids[0]!]: 2 },
    }))
    sender.setLeader(true)
    const e = event()
    queue.enqueue(e)
    await vi.advanceTimersByTimeAsync(0)
    expect(fanOuts).toEqual([{ [e.id]: 2 }])
  })

  it('keeps at most four requests in flight', async () => {
    const pending: Array<() => void> = []
    const { queue, sender, sends } = setup(
      {},
      (ids) => new Promise((resolve) => pending.push(() => resolve({ ok: true, acked: ids, rejected: [] }))),
    )
    sender.setLeader(true)
    for (let i = 0; i < 1000; i++) queue.enqueue(event())
    await vi.advanceTimersByTimeAsync(10)
    expect(sends).toHaveLength(4)
    pending.shift()!()
    await vi.advanceTimersByTimeAsync(1)
    expect(sends).toHaveLength(5)
    while (pending.length) {
      pending.shift()!()
      await vi.advanceTimersByTimeAsync(1)
    }
    expect(sends).toHaveLength(10)
    expect(new Set(sends.flat()).size).toBe(1000)
    expect(queue.size).toBe(0)
  })

  it('does not send from a tab that is not the sending tab, and sends when it becomes one', async () => {
    const { queue, sender, sends } = setup()
    queue.enqueue(event())
    await vi.advanceTimersByTimeAsync(5000)
    expect(sends).toEqual([])
    sender.setLeader(true)
    await vi.advanceTimersByTimeAsync(1)
    expect(sends).toHaveLength(1)
  })

  it('sends nothing offline and everything on wake', async () => {
    const { queue, sender, sends } = setup()
    sender.setLeader(true)
    online = false
    for (let i = 0; i < 10; i++) queue.enqueue(event())
    await vi.advanceTimersByTimeAsync(10_000)
    expect(sends).toEqual([])
    online = true
    sender.wake()
    await vi.advanceTimersByTimeAsync(1)
    expect(sends.flat()).toHaveLength(10)
  })

  it('removes rejected ids and keeps unanswered ones for the next batch', async () => {
    const { queue, sender, sends, acked, rejected } = setup({}, (ids) => ({
      ok: true,
      acked: [ids[0]!],
      rejected: [{ id: ids[1]!, error: { code: 'invalid_event', message: 'bad screen' } }],
    }))
    sender.setLeader(true)
    const events = [event(), event(), event()]
    for (const e of events) queue.enqueue(e)
    await vi.advanceTimersByTimeAsync(1)
    expect(acked).toEqual([events[0]!.id, events[2]!.id])
    expect(rejected).toEqual([[events[1]!.id, 'bad screen']])
    expect(sends[1]).toEqual([events[2]!.id])
  })

  it('backs off with jitter after a failure, honouring Retry-After, and keeps the events', async () => {
    let calls = 0
    const { queue, sender, sends, retries } = setup({}, (ids) =>
      ++calls <= 2
        ? { ok: false, status: 429, retryAfterMs: calls === 1 ? 7000 : undefined, reason: 'busy' }
        : { ok: true, acked: ids, rejected: [] },
    )
    sender.setLeader(true)
    queue.enqueue(event())
    await vi.advanceTimersByTimeAsync(1)
    expect(retries).toEqual([7000])
    await vi.advanceTimersByTimeAsync(6998)
    expect(sends).toHaveLength(1)
    sender.flush() // a flush does not jump the backoff
    await vi.advanceTimersByTimeAsync(1)
    expect(sends).toHaveLength(2)
    expect(retries).toEqual([7000, 2000])
    await vi.advanceTimersByTimeAsync(2000)
    expect(sends).toHaveLength(3)
    expect(queue.size).toBe(0)
  })

  it('waits for `online` instead of backing off when the network is gone', async () => {
    const { queue, sender, sends, retries } = setup(
      {},
      () => ((online = false), { ok: false, status: 0, reason: 'offline' }),
    )
    sender.setLeader(true)
    queue.enqueue(event())
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sends).toHaveLength(1)
    expect(retries).toEqual([])
    expect(queue.size).toBe(1)
  })

  it('hands the queue to sendBeacon on page hide and keeps it queued', async () => {
    // The page hides while the event's request is still unanswered.
    const { queue, sender, beacons } = setup({}, () => new Promise<SendResult>(() => {}))
    sender.setLeader(true)
    const e = event()
    queue.enqueue(e)
    await queue.persist()
    vi.stubGlobal('navigator', { sendBeacon: () => true, onLine: true })
    sender.beacon()
    vi.unstubAllGlobals()
    expect(beacons).toEqual([[e.id]])
    expect(queue.size).toBe(1)
  })
})
