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
    // Each one works: a name sift does not implement would be refused as unknown, or would throw.
    const samples: Record<string, unknown> = {
      $and: [{ type: 'checkout-completed' }],
      $or: [{ type: 'checkout-completed' }],
      $nor: [{ type: 'x' }],
      $all: [120],
      $in: [120],
      $nin: [1],
      $elemMatch: { $gte: 100 },
      $mod: [2, 0],
      $not: { $lt: 100 },
      $regex: '^1',
      $options: 'i',
      $size: 0,
      $type: 'number',
      $exists: true,
    }
    for (const name of FILTER_OPERATORS) {
      const value = samples[name] ?? 120
      const query = ['$and', '$or', '$nor'].includes(name)
        ? { [name]: value }
        : name === '$options'
          ? { type: { $regex: '^CHECKOUT', $options: 'i' } }
          : { 'data.total': { [name]: value } }
      expect(compileFilter(query).ok, name).toBe(true)
    }
  })
})
