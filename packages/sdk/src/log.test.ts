import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLog } from './log.ts'
import { describeByCode } from './message-code.ts'
import { messageText } from './messages.ts'

afterEach(() => vi.restoreAllMocks())

describe('log', () => {
  it('publishes entries once per microtask, newest last, keeping the most recent `limit`', async () => {
    const log = createLog(3, false, messageText)
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
    const quiet = createLog(10, false, messageText)
    quiet.warn('HL02', 'x')
    quiet.warn('HL02', 'x')
    quiet.warn('HL02', 'y')
    await Promise.resolve()
    expect(quiet.store.get()).toMatchObject([
      { kind: 'warning', code: 'HL02', args: ['x'], message: 'Page not wired (x)' },
      { kind: 'warning', code: 'HL02', args: ['y'], message: 'Page not wired (y)' },
    ])
    expect(console_).not.toHaveBeenCalled()
    const loud = createLog(10, true, messageText)
    loud.warn('HL03')
    loud.warn('HL03')
    expect(console_).toHaveBeenCalledTimes(1)
    expect(console_).toHaveBeenCalledWith('[hookline] hl.on() needs a document: ignored')
  })

  it('notes each time without the console, and alerts the console whatever debug is', async () => {
    const console_ = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const log = createLog(10, false, messageText)
    log.note('HL24', 'relay answered 503', '2')
    log.note('HL24', 'relay answered 503', '2')
    expect(console_).not.toHaveBeenCalled()
    log.alert('HL04', 'no chunk')
    expect(console_).toHaveBeenCalledWith('[hookline] Live updates off (no chunk): events are still sent')
    await Promise.resolve()
    expect(log.store.get().map((e) => (e.kind === 'warning' ? e.message : ''))).toEqual([
      'relay answered 503; retrying in 2 s',
      'relay answered 503; retrying in 2 s',
      'Live updates off (no chunk): events are still sent',
    ])
  })

  it('in the script-tag build, writes the code and where it is explained, and the full text once the devtools chunk brings it', async () => {
    const log = createLog(10, false, describeByCode)
    log.warn('HL07', 'Failed to fetch')
    vi.stubGlobal('HooklineDevtools', { messageText })
    log.warn('HL08', '500')
    vi.unstubAllGlobals()
    await Promise.resolve()
    expect(log.store.get()).toMatchObject([
      { code: 'HL07', args: ['Failed to fetch'], message: 'HL07 Failed to fetch (docs/messages.md#hl07)' },
      { code: 'HL08', args: ['500'], message: 'Session not claimed (relay answered 500)' },
    ])
  })
})
