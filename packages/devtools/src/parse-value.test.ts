import { describe, expect, it } from 'vitest'
import { formatValue, parseValue } from './parse-value.ts'

describe('parseValue', () => {
  it('reads JSON when it parses and text otherwise', () => {
    expect(parseValue('3')).toBe(3)
    expect(parseValue('true')).toBe(true)
    expect(parseValue('{"a":1}')).toEqual({ a: 1 })
    expect(parseValue('shipped')).toBe('shipped')
    expect(parseValue('"3"')).toBe('3')
  })

  it('round-trips with formatValue', () => {
    for (const value of ['pending', 3, false, null, { a: [1] }]) expect(parseValue(formatValue(value))).toEqual(value)
  })
})
