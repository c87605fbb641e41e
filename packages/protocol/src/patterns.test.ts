import { describe, expect, test } from 'vitest'
import { OPERATIONAL_EVENTS } from './operational.ts'
import { matchesEvent } from './patterns.ts'

describe('matchesEvent and the reserved hookline. namespace', () => {
  test('a bare * matches the project events only', () => {
    expect(matchesEvent(['*'], 'checkout-completed')).toBe(true)
    for (const name of OPERATIONAL_EVENTS) expect(matchesEvent(['*'], name)).toBe(false)
  })
  test('operational events match by name or by a hookline. pattern', () => {
    expect(matchesEvent(['hookline.*'], 'hookline.webhook.paused')).toBe(true)
    expect(matchesEvent(['hookline.webhook.*'], 'hookline.delivery.exhausted')).toBe(false)
    expect(matchesEvent(['hookline.delivery.exhausted'], 'hookline.delivery.exhausted')).toBe(true)
    expect(matchesEvent(['h*', 'hook*', '*.paused'], 'hookline.webhook.paused')).toBe(false)
  })
  test('hookline. patterns never match project events', () => {
    expect(matchesEvent(['hookline.*'], 'checkout-completed')).toBe(false)
    expect(matchesEvent(['hookline.*', 'cart.*'], 'cart.added')).toBe(true)
  })
})
