import { describe, expect, test } from 'vitest'
import { compileFilter, FILTER_OPERATORS } from './filter.ts'

const envelope = { type: 'checkout-completed', session: { id: 'ses_1', screen: 'checkout' }, data: { total: 120 } }

describe('compileFilter', () => {
  test('evaluates MongoDB-style queries over the envelope', () => {
    const ok = (filter: unknown) => {
      const compiled = compileFilter(filter)
      if (!compiled.ok) throw new Error(compiled.message)
      return compiled.test(envelope)
    }
    expect(ok({ 'data.total': { $gte: 100 }, 'session.screen': 'checkout' })).toBe(true)
    expect(ok({ 'data.total': { $gte: 200 } })).toBe(false)
    expect(ok({ $or: [{ type: 'x' }, { 'data.total': { $in: [120] } }] })).toBe(true)
    expect(ok({ type: { $regex: '^checkout' } })).toBe(true)
    expect(ok({ 'data.missing': { $exists: false } })).toBe(true)
  })
  test('names the bad operator, $where included', () => {
    expect(compileFilter({ 'data.total': { $gtx: 1 } })).toEqual({
      ok: false,
      message: expect.stringMatching(/^"filter.data.total": unknown filter operator "\$gtx"/),
    })
    expect(compileFilter({ $where: 'this.x' })).toMatchObject({ message: expect.stringContaining('"$where"') })
    expect(compileFilter({ $and: [{ a: 1 }, { b: { $elemMatch: { $bad: 1 } } }] })).toMatchObject({
      message: expect.stringContaining('"filter.$and[1].b.$elemMatch": unknown filter operator "$bad"'),
    })
  })
  test('refuses what sift refuses, and what is not a JSON object', () => {
    expect(compileFilter({ type: { $regex: '(' } })).toMatchObject({ ok: false })
    expect(compileFilter({ $and: 5 })).toMatchObject({ ok: false })
    expect(compileFilter([1])).toMatchObject({ ok: false })
    expect(compileFilter('x')).toMatchObject({ ok: false })
  })
  test('every operator offered works in a query, and $where is not offered', () => {
    expect(FILTER_OPERATORS).toHaveLength(20)
    expect(FILTER_OPERATORS).not.toContain('$where')
    // Each one compiles: a name sift does not implement would be refused as unknown.
    for (const name of FILTER_OPERATORS) {
      const value = ['$and', '$or', '$nor', '$all', '$in', '$nin'].includes(name) ? [] : name === '$mod' ? [2, 0] : 1
      const query = name === '$options' ? { type: { $regex: 'x', $options: 'i' } } : { 'data.total': { [name]: value } }
      const compiled = compileFilter(['$and', '$or', '$nor'].includes(name) ? { [name]: [{ type: 'x' }] } : query)
      expect(compiled.ok, name).toBe(true)
    }
  })
})
