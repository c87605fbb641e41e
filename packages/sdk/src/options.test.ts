import { describe, expect, it } from 'vitest'
import { HooklineError, HooklineOptionsError } from './errors.ts'
import { messageText } from './messages.ts'
import { normalizeOptions } from './options.ts'

const base = { relay: 'http://127.0.0.1:8787/', key: 'pk_test_abc' }

describe('normalizeOptions', () => {
  it('fills every default and trims the relay URL', () => {
    expect(normalizeOptions(base, messageText)).toEqual({
      relay: 'http://127.0.0.1:8787',
      key: 'pk_test_abc',
      variables: {},
      attributes: true,
      config: true,
      stream: true,
      batchEvents: 100,
      batchBytes: 65536,
      budgetBytes: 5_000_000,
      storage: 'indexeddb',
      logLimit: 200,
      debug: false,
      root: document,
    })
  })

  it('keeps given values and treats undefined as unset', () => {
    const o = normalizeOptions({ ...base, batchEvents: 10, stream: false, logLimit: undefined }, messageText)
    expect([o.batchEvents, o.stream, o.logLimit]).toEqual([10, false, 200])
  })

  it.each([
    [{ relay: 'ws://x' }, 'relay'],
    [{ relay: undefined }, 'relay'],
    [{ key: 'sk_live_x' }, 'key'],
    [{ batchEvents: 101 }, 'batchEvents'],
    [{ batchBytes: 70_000 }, 'batchBytes'],
    [{ budgetBytes: 1.5 }, 'budgetBytes'],
    [{ storage: 'localStorage' }, 'storage'],
    [{ stream: 'yes' }, 'stream'],
    [{ variables: [] }, 'variables'],
  ])('rejects %j naming the option', (bad, option) => {
    let error: unknown
    try {
      normalizeOptions({ ...base, ...bad }, messageText)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(HooklineOptionsError)
    expect(error).toBeInstanceOf(HooklineError)
    expect(error).toMatchObject({ name: 'HooklineOptionsError', option })
    expect((error as Error).message).toContain(`option "${option}"`)
  })
})
