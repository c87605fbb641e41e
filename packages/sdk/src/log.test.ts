import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLog } from './log.ts'

afterEach(() => vi.restoreAllMocks())

describe('log', () => {
  it('publishes entries once per microtask, newest last, keeping the most recent `limit`', async () => {
    const log = createLog(3, false)
    let notifications = 0
    log.store.listen(() => notifications++)
    for (let i = 0; i < 5; i++) log.add({ kind: 'evicted', count: i })
    expect(log.store.get()).toEqual([])
    await Promise.resolve()
    expect(notifications).toBe(1)
    expect(log.store.get().map((e) => (e as { count: number }).count)).toEqual([2, 3, 4])
    expect(log.store.get()[0]!.at).toBeTypeOf('number')
  })

  it('warns once per message, to the console only with debug', async () => {
    const console_ = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const quiet = createLog(10, false)
    quiet.warn('x')
    quiet.warn('x')
    await Promise.resolve()
    expect(quiet.store.get()).toHaveLength(1)
    expect(console_).not.toHaveBeenCalled()
    const loud = createLog(10, true)
    loud.warn('y')
    loud.warn('y')
    expect(console_).toHaveBeenCalledTimes(1)
    expect(console_).toHaveBeenCalledWith('[hookline] y')
  })
})
