import { renderTemplate, type Json } from '@hookline/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fill } from './template.ts'

const context = {
  props: { sku: 'A1', total: 42, tags: ['a', 'b'], nested: { deep: true }, nothing: null },
  vars: { plan: 'pro', count: 0 },
  event: { id: 'evt_1', name: 'add-to-cart' },
  session: { id: 'ses_1' },
}

describe('fill', () => {
  it('fills optimistic values like the relay fills templates', () => {
    expect(fill({ lastSku: '{{props.sku}}', total: '{{ props.total }}', text: 'Order {{event.id}} for {{props.total}}', missing: '{{props.nope}}', list: ['{{vars.plan}}'] }, context)).toEqual({
      lastSku: 'A1',
      total: 42,
      text: 'Order evt_1 for 42',
      missing: null,
      list: ['pro'],
    })
  })

  it('agrees with @hookline/protocol renderTemplate on any template', () => {
    const paths = fc.constantFrom('props.sku', 'props.total', 'props.tags', 'props.nested', 'props.nested.deep', 'props.nothing', 'vars.plan', 'vars.count', 'event.id', 'nope', 'props.sku.length', 'props.toString', '__proto__')
    const placeholder = paths.map((path) => `{{${path}}}`)
    const text = fc.tuple(fc.string({ maxLength: 5 }), placeholder, fc.string({ maxLength: 5 })).map((parts) => parts.join(''))
    const leaf = fc.oneof(placeholder, text, fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null))
    const template = fc.letrec<{ node: Json }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 3 })),
    })).node
    fc.assert(
      fc.property(template, (t) => {
        expect(fill(t, context)).toEqual(renderTemplate(t, context))
      }),
      { numRuns: 500 },
    )
  })
})
