import 'fake-indexeddb/auto'
import type { Json } from '@hookline/protocol'
import { createStore, promisifyRequest } from 'idb-keyval'
import { map } from 'nanostores'
import { describe, expect, it } from 'vitest'
import { saveVars, type SavedRecord } from './saved-vars.ts'

let dbCount = 0
const DAY = 24 * 60 * 60 * 1000

/** Resolves once every queued microtask and IndexedDB callback of the moment has run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('saved variables', () => {
  it('saves each change, and a later page of the same session loads the variables and the cursor of that moment', async () => {
    const name = `saved-vars-test-${++dbCount}`
    const vars = map<Record<string, Json>>({})
    let cursor: string | null = null
    const first = saveVars(
      name,
      'ses_a',
      vars,
      () => cursor,
      () => {},
    )
    expect(await first.load()).toBeUndefined()
    cursor = '7'
    vars.setKey('orderStatus', 'pending')
    vars.setKey('orderStatus', 'shipped')
    await settle()
    first.close()
    const again = saveVars(
      name,
      'ses_a',
      map({}),
      () => null,
      () => {},
    )
    expect(await again.load()).toMatchObject({ vars: { orderStatus: 'shipped' }, cursor: '7' })
    again.close()
  })

  it("drops other sessions' records older than a day when loading, and keeps recent ones", async () => {
    const name = `saved-vars-test-${++dbCount}`
    const store = createStore(name, 'vars')
    const record = (at: number): SavedRecord => ({ vars: { x: at }, cursor: null, at })
    await store('readwrite', (objects) => {
      objects.put(record(Date.now() - 2 * DAY), 'ses_old')
      objects.put(record(Date.now() - DAY / 2), 'ses_recent')
      objects.put(record(Date.now() - 3 * DAY), 'ses_mine') // the loading session's own: returned, old or not
      return promisifyRequest(objects.transaction)
    })
    const saved = saveVars(
      name,
      'ses_mine',
      map({}),
      () => null,
      () => {},
    )
    expect((await saved.load())?.vars).toEqual({ x: expect.any(Number) as number })
    saved.close()
    const keys = await store('readonly', (objects) => promisifyRequest(objects.getAllKeys()))
    expect(keys.sort()).toEqual(['ses_mine', 'ses_recent'])
  })
})
