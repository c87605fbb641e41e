import { messageText } from '../messages.ts'
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { create } from '../create.ts'
import type { Hookline } from '../types.ts'
import type { LiveLoader } from './loader.ts'

// The live chunk (stream, frames, config) loads beside the core: sending never waits for it, and
// a chunk that does not load leaves the SDK sending, with one warning.
const sent: string[] = []
let configFetches = 0
beforeEach(() => {
  sent.length = 0
  configFetches = 0
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    if (url.endsWith('/v1/sessions'))
      return Promise.resolve(Response.json({ id: 'ses_x', token: `hlst_${'x'.repeat(43)}` }, { status: 201 }))
    if (url.endsWith('/v1/config')) {
      configFetches++
      return Promise.resolve(Response.json({ events: [], variables: { plan: 'free' } }))
    }
    const events = (JSON.parse(init.body as string) as { events: Array<{ id: string; name: string }> }).events
    sent.push(...events.map((event) => event.name))
    return Promise.resolve(Response.json({ accepted: events.map((e) => e.id), duplicates: [], rejected: [] }))
  })
})
const instances: Hookline[] = []
afterEach(() => {
  for (const hl of instances.splice(0)) hl.destroy()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

let n = 0
const start = (loadLive: LiveLoader): Hookline => {
  document.body.innerHTML = '<button id="buy" data-hl-event="buy-tapped">Buy</button>'
  const hl = create(
    { relay: 'http://relay.test', key: `pk_test_lazy${++n}`, storage: 'memory', root: document },
    () => Promise.reject(new Error('no devtools here')),
    loadLive,
    messageText,
  )
  instances.push(hl)
  return hl
}
const tap = () => document.querySelector('#buy')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
const warnings = (hl: Hookline) => hl.log.get().flatMap((e) => (e.kind === 'warning' ? [e.message] : []))

describe('the live chunk', () => {
  it('is not waited for: taps and track() are sent while it is still loading', async () => {
    let loads = 0
    const hl = start(() => {
      loads++
      return new Promise(() => {}) // never arrives
    })
    tap()
    hl.track('checkout-completed')
    await hl.flush()
    expect(sent).toEqual(['buy-tapped', 'checkout-completed'])
    expect(loads).toBe(1) // asked for at start, once
    // The config's first fetch went out at start too, beside the claim, not after the chunk.
    expect(configFetches).toBe(1)
  })

  it('that fails to load leaves the SDK sending, with one warning in the log and one on the console', async () => {
    const console = vi.spyOn(globalThis.console, 'warn').mockImplementation(() => {})
    const hl = start(() => Promise.reject(new Error('could not load http://cdn.test/hookline-live.js')))
    tap()
    await hl.flush()
    tap()
    await hl.flush()
    expect(sent).toEqual(['buy-tapped', 'buy-tapped'])
    const live = warnings(hl).filter((message) => message.startsWith('Live updates off'))
    expect(live).toEqual(['Live updates off (could not load http://cdn.test/hookline-live.js): events are still sent'])
    expect(console.mock.calls.filter(([line]) => String(line).includes('Live updates off'))).toHaveLength(1)
    expect(hl.status.get().stream).toBe('closed')
  })

  it('that loads applies the config fetched at start, without fetching it again', async () => {
    const hl = start(() => import('./live.ts'))
    await vi.waitFor(() => expect(hl.vars.get().plan).toBe('free'))
    expect(configFetches).toBe(1)
  })
})
