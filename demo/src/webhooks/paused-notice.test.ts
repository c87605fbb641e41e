import { describe, expect, it } from 'vitest'
import { parseFilter } from './filter-field.tsx'
import { countdown } from './paused-notice.tsx'

describe('countdown', () => {
  it('says when the next recovery try is, in words', () => {
    const now = Date.parse('2026-12-01T12:00:00Z')
    expect(countdown('2026-12-01T12:00:35Z', now)).toBe('in 35 s')
    expect(countdown('2026-12-01T12:04:00Z', now)).toBe('in 4 min')
    expect(countdown('2026-12-01T11:59:00Z', now)).toBe('any moment now')
    expect(countdown('not a time', now)).toBe('any moment now')
  })
})

describe('parseFilter', () => {
  it('takes a JSON object, nothing for empty text, and says what is wrong otherwise', () => {
    expect(parseFilter('  ')).toBeNull()
    expect(parseFilter('{"data.total": {"$gte": 100}}')).toEqual({ 'data.total': { $gte: 100 } })
    expect(() => parseFilter('{data.total: 1}')).toThrow(/not JSON/)
    expect(() => parseFilter('[1]')).toThrow(/object of conditions/)
  })
})
