import { messageText } from '../messages.ts'
import type { Json } from '@hookline/protocol'
import { map } from 'nanostores'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLog } from '../log.ts'
import { createOptimistic } from './optimistic.ts'

function setup() {
  const vars = map<Record<string, Json>>({ orderStatus: 'none' })
  const log = createLog(100, false, messageText)
  return { vars, log, optimistic: createOptimistic(vars, log) }
}

const frame = (fields: Partial<{ webhookId: string; ok: boolean; final: boolean; status: number }>) => ({
  eventId: 'evt_1',
  webhookId: 'wh_1',
  attempt: 1,
  status: 500,
  ok: false,
  latencyMs: 3,
  ...fields,
})

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('optimistic updates', () => {
  it('apply at once and roll back when the event is rejected, with the reason in the log', async () => {
    const { vars, log, optimistic } = setup()
    optimistic.apply('evt_1', { orderStatus: 'pending', lastSku: 'A1' })
    expect(vars.get()).toEqual({ orderStatus: 'pending', lastSku: 'A1' })
    optimistic.rollBack('evt_1', 'rejected: bad')
    expect(vars.get()).toEqual({ orderStatus: 'none' })
    await Promise.resolve()
    expect(log.store.get().at(-1)).toMatchObject({
      kind: 'rolled-back',
      eventId: 'evt_1',
      vars: ['lastSku', 'orderStatus'],
      reason: 'rejected: bad',
    })
  })

  it('leave a variable that changed since as it is', () => {
    const { vars, optimistic } = setup()
    optimistic.apply('evt_1', { orderStatus: 'pending' })
    vars.setKey('orderStatus', 'shipped')
    optimistic.rollBack('evt_1', 'rejected')
    expect(vars.get().orderStatus).toBe('shipped')
  })

  it('roll back exactly when every webhook of the fan-out has finally failed, never on a timer', async () => {
    const { vars, optimistic } = setup()
    optimistic.apply('evt_1', { orderStatus: 'pending' })
    optimistic.fanOut({ evt_1: 2 })
    optimistic.delivery(frame({ webhookId: 'wh_1', final: false }))
    optimistic.delivery(frame({ webhookId: 'wh_1', final: true }))
    // The same webhook's final failure counted twice is still one of two.
    optimistic.delivery(frame({ webhookId: 'wh_1', final: true }))
    await vi.advanceTimersByTimeAsync(600_000)
    expect(vars.get().orderStatus).toBe('pending')
    optimistic.delivery(frame({ webhookId: 'wh_2', final: true }))
    expect(vars.get().orderStatus).toBe('none')
  })

  it('count failures that come before the fan-out is known', () => {
    const { vars, optimistic } = setup()
    optimistic.apply('evt_1', { orderStatus: 'pending' })
    optimistic.delivery(frame({ webhookId: 'wh_1', final: true }))
    expect(vars.get().orderStatus).toBe('pending')
    optimistic.fanOut({ evt_1: 1 })
    expect(vars.get().orderStatus).toBe('none')
  })

  it('keep the update of an event no webhook takes, and of one whose fan-out is never told', async () => {
    const { vars, optimistic } = setup()
    optimistic.apply('evt_1', { orderStatus: 'pending' })
    optimistic.fanOut({ evt_1: 0 })
    expect(optimistic.has('evt_1')).toBe(false)
    optimistic.apply('evt_2', { orderStatus: 'paid' })
    optimistic.delivery({ ...frame({ final: true }), eventId: 'evt_2' })
    await vi.advanceTimersByTimeAsync(600_000)
    expect(vars.get().orderStatus).toBe('paid')
  })

  it('keep the update when any delivery succeeds, even after another failed', async () => {
    const { vars, optimistic } = setup()
    optimistic.apply('evt_1', { orderStatus: 'pending' })
    optimistic.fanOut({ evt_1: 2 })
    optimistic.delivery(frame({ webhookId: 'wh_1', final: true }))
    optimistic.delivery(frame({ webhookId: 'wh_2', ok: true, status: 200, final: true }))
    await vi.advanceTimersByTimeAsync(5000)
    expect(vars.get().orderStatus).toBe('pending')
    expect(optimistic.has('evt_1')).toBe(false)
  })
})
