import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseJsonPath, readJsonPath } from './jsonpath.ts'
import { matchesEvent } from './patterns.ts'
import type { Json } from './types.ts'
import { renderTemplate, templatePlaceholders } from './template.ts'

describe('renderTemplate', () => {
  const context = {
    event: { name: 'checkout-completed' },
    props: { total: 42, items: [1, 2] },
    vars: { plan: 'pro' },
    user: null,
  }

  it('keeps the JSON type of a whole placeholder and writes text inside strings', () => {
    const template = {
      text: 'Order of {{props.total}} on {{vars.plan}}',
      total: '{{props.total}}',
      items: '{{props.items}}',
      missing: '{{user.props.email}}',
      n: 1,
    }
    expect(renderTemplate(template, context)).toEqual({
      text: 'Order of 42 on pro',
      total: 42,
      items: [1, 2],
      missing: null,
      n: 1,
    })
    expect(templatePlaceholders(template).sort()).toEqual([
      'props.items',
      'props.total',
      'user.props.email',
      'vars.plan',
    ])
  })

  it('never throws on any template and context', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (template, ctx) => void renderTemplate(template as Json, ctx)),
    )
  })
})

describe('JSON paths', () => {
  it('reads dotted, indexed and quoted segments', () => {
    const body = { data: { status: 'shipped', items: [{ 'order id': 7 }] } }
    expect(readJsonPath(body, '$.data.status')).toBe('shipped')
    expect(readJsonPath(body, '$.data.items[0]["order id"]')).toBe(7)
    expect(readJsonPath(body, '$.data.nothing.here')).toBeUndefined()
    expect(readJsonPath(body, '$')).toBe(body)
    expect(parseJsonPath('data.status')).toBeNull()
    expect(parseJsonPath('$.a[')).toBeNull()
    expect(readJsonPath({ a: 1 }, '$.constructor')).toBeUndefined()
  })

  it('never throws on any path', () => {
    fc.assert(fc.property(fc.string(), fc.jsonValue(), (path, value) => void readJsonPath(value, '$' + path)))
  })
})

describe('matchesEvent', () => {
  it('matches names, prefixes with * and everything with *', () => {
    expect(matchesEvent(['checkout-completed'], 'checkout-completed')).toBe(true)
    expect(matchesEvent(['cart.*'], 'cart.added')).toBe(true)
    expect(matchesEvent(['cart.*'], 'cartx')).toBe(false)
    expect(matchesEvent(['*'], 'anything')).toBe(true)
    expect(matchesEvent([], 'anything')).toBe(false)
  })
})
