import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { newId } from './ids.ts'
import { validateBatch, validateEvent, validateProjectConfig } from './validate.ts'

const event = () => ({
  id: newId('evt'),
  name: 'checkout-completed',
  ts: '2026-11-23T12:00:00.000Z',
  sessionId: newId('ses'),
  screen: 'checkout',
  props: { total: 42, items: [{ sku: 'A1' }] },
  vars: { plan: 'pro' },
  user: { id: 'u_1', props: { email: 'a@example.com' } },
})

describe('validateEvent', () => {
  it('accepts the event of docs/api.md', () => {
    const input = event()
    expect(validateEvent(input)).toEqual({ ok: true, value: input })
  })

  it('reports every problem with its path and an actionable sentence', () => {
    const result = validateEvent({
      ...event(),
      id: 'nope',
      name: 'Checkout Completed',
      ts: 'yesterday',
      props: { when: new Date() },
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map((p) => p.path).sort()).toEqual(['id', 'name', 'props', 'ts'])
    const name = result.problems.find((p) => p.path === 'name')!
    expect(name.message).toContain('"checkout-completed"')
    expect(name.message).toContain('"Checkout Completed"')
  })

  it('limits identity props to ten', () => {
    const props = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}`, i]))
    const result = validateEvent({ ...event(), company: { id: 'c_1', props } })
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'company.props' }] })
  })

  it('never throws and returns a value or problems for any input', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }),
        (input) => {
          const result = validateEvent(input)
          if (result.ok) expect(result.value).toBeTypeOf('object')
          else expect(result.problems.length).toBeGreaterThan(0)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('accepts every well-formed event', () => {
    const names = fc.stringMatching(/^[a-z0-9][a-z0-9._:-]{0,20}$/)
    fc.assert(
      fc.property(names, fc.dictionary(fc.string(), fc.jsonValue()), (name, props) => {
        const input = { ...event(), name, props: JSON.parse(JSON.stringify(props)) }
        expect(validateEvent(input).ok).toBe(true)
      }),
    )
  })

  it('survives hostile objects', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom')
        },
        get: () => {
          throw new Error('boom')
        },
      },
    )
    expect(validateEvent(hostile).ok).toBe(false)
    expect(validateEvent({ ...event(), props: hostile }).ok).toBe(false)
  })
})

describe('validateBatch', () => {
  it('checks the envelope and leaves events to validateEvent', () => {
    expect(validateBatch({ sentAt: new Date().toISOString(), events: [1, 'x'] }).ok).toBe(true)
    expect(validateBatch({ sentAt: new Date().toISOString(), events: [] })).toMatchObject({
      ok: false,
      problems: [{ path: 'events' }],
    })
    const tooMany = validateBatch({ sentAt: new Date().toISOString(), events: Array(501).fill({}) })
    expect(!tooMany.ok && tooMany.problems[0]!.message).toContain('at most 500')
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => void validateBatch(input)),
      { numRuns: 300 },
    )
  })
})

describe('validateProjectConfig', () => {
  it('accepts the config of docs/api.md', () => {
    const config = {
      events: [
        {
          name: 'add-to-cart',
          trigger: { tap: '#add' },
          schema: { type: 'object' },
          optimistic: { lastSku: '{{props.sku}}' },
        },
      ],
      variables: { plan: 'free', cartCount: 0 },
    }
    expect(validateProjectConfig(config)).toEqual({ ok: true, value: config })
  })

  it('rejects bad triggers and variable names', () => {
    const result = validateProjectConfig({
      events: [{ name: 'x', trigger: { hover: '#a' } }],
      variables: { '1bad': 1 },
    })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual(['events[0].trigger', 'variables'])
  })
})
