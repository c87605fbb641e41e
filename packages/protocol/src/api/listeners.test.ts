import { describe, expect, it } from 'vitest'
import { run } from '../validate.ts'
import { ListenerCreateSchema, ListenerPatchSchema } from './listeners.ts'

describe('listener bodies', () => {
  it('name the first bad field', () => {
    const cases: [unknown, string][] = [
      [{ set: { a: '$.a' } }, 'name'],
      [{ name: '  ', set: { a: '$.a' } }, 'name'],
      [{ name: 'x', set: {} }, 'set'],
      [{ name: 'x', set: [] }, 'set'],
      [{ name: 'x', set: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, '$.a'])) }, 'set'],
      [{ name: 'x', set: { '1bad': '$.a' } }, 'set.1bad'],
      [{ name: 'x', set: { ok: 'status' } }, 'set.ok'],
      [{ name: 'x', set: { ok: '$.a' }, target: 'everyone' }, 'target'],
      [{ name: 'x', set: { ok: '$.a' }, verify: 'yes' }, 'verify'],
      [{ name: 'x', set: { ok: '$.a' }, secret: 'mine' }, 'secret'],
    ]
    for (const [body, path] of cases) {
      const checked = run(ListenerCreateSchema, body)
      expect(checked.ok ? [] : checked.problems.map((problem) => problem.path), JSON.stringify(body)).toContain(path)
    }
  })

  it('accept a listener and trim its name', () => {
    const body = { name: ' orders ', set: { orderStatus: '$.data.status' }, target: { session: '$.session' } }
    expect(run(ListenerCreateSchema, body)).toEqual({ ok: true, value: { ...body, name: 'orders' } })
    expect(run(ListenerPatchSchema, { verify: false })).toEqual({ ok: true, value: { verify: false } })
    expect(run(ListenerPatchSchema, { target: 'broadcast' }).ok).toBe(true)
  })
})
