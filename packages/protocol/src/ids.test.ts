import { describe, expect, it } from 'vitest'
import { idTime, isId, newId } from './ids.ts'

describe('ids', () => {
  it('are prefixed ULIDs that sort by creation, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId('evt'))
    expect(ids.every((id) => isId(id, 'evt'))).toBe(true)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('carry their creation time', () => {
    const before = Date.now()
    const time = idTime(newId('wh'))
    expect(time).toBeGreaterThanOrEqual(before)
    expect(time).toBeLessThanOrEqual(Date.now())
    expect(idTime('evt_nope')).toBeNaN()
    expect(isId('wh_01JD', 'wh')).toBe(false)
  })
})
