import fc from 'fast-check'
import { expect, test } from 'vitest'
import { chunks, IN_LIST_LIMIT } from './in-list.ts'

test('every item is visited once, in order, in slices of at most the limit, only the last one short', () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { maxLength: 2000 }), fc.integer({ min: 1, max: 900 }), (items, limit) => {
      const slices = [...chunks(items, limit)]
      expect(slices.flat()).toEqual(items)
      expect(slices.every((slice) => slice.length >= 1 && slice.length <= limit)).toBe(true)
      expect(slices.slice(0, -1).every((slice) => slice.length === limit)).toBe(true)
      expect(slices).toHaveLength(Math.ceil(items.length / limit))
    }),
  )
})

test('the default limit is the one SQLite statements are sliced by, and a limit below one is refused', () => {
  const items = Array.from({ length: IN_LIST_LIMIT * 2 + 1 }, (_, i) => i)
  expect([...chunks(items)].map((slice) => slice.length)).toEqual([IN_LIST_LIMIT, IN_LIST_LIMIT, 1])
  expect(() => [...chunks(items, 0)]).toThrow(RangeError)
})
