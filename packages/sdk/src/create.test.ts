import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHookline } from './hookline.ts'
import type { Hookline } from './types.ts'

const ATTRIBUTES = ['event', 'props', 'screen', 'set', 'bind'] as const
type Attribute = (typeof ATTRIBUTES)[number]
const COMBOS: Attribute[][] = []
for (let mask = 1; mask < 1 << ATTRIBUTES.length; mask++)
  COMBOS.push(ATTRIBUTES.filter((_, index) => mask & (1 << index)))

/** One element carrying the combination's attributes, with names of its own. */
function element(combo: readonly Attribute[]): string {
  const id = combo.join('-')
  const has = (attribute: Attribute) => combo.includes(attribute)
  return `<div id="${id}"${has('event') ? ` data-hl-event="ev-${id}"` : ''}${
    has('props') ? ` data-hl-props='{"combo":"${id}"}'` : ''
  }${has('screen') ? ` data-hl-screen="screen-${id}"` : ''}${has('set') ? ` data-hl-set="v=${id}"` : ''}${
    has('bind') ? ' data-hl-bind="v"' : ''
  }>${id}</div>`
}

const instances: Hookline[] = []
// A relay that takes every batch, so nothing here waits on the network.
beforeEach(() => {
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    if (url.endsWith('/v1/sessions'))
      return Promise.resolve(Response.json({ id: 'ses_x', token: `hlst_${'x'.repeat(43)}` }, { status: 201 }))
    const events = (JSON.parse(init.body as string) as { events: Array<{ id: string }> }).events
    return Promise.resolve(Response.json({ accepted: events.map((e) => e.id), duplicates: [], rejected: [] }))
  })
})
afterEach(() => {
  for (const hl of instances.splice(0)) hl.destroy()
  vi.unstubAllGlobals()
})
let n = 0
const start = (root?: Document) => {
  const hl = createHookline({
    relay: 'http://relay.test',
    key: `pk_test_start${++n}`,
    config: false,
    stream: false,
    root,
  })
  instances.push(hl)
  return hl
}
const fired = (hl: Hookline) =>
  hl.log.get().flatMap((entry) => (entry.kind === 'fired' ? [{ name: entry.name, props: entry.props }] : []))
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

// createHookline never throws into the page, whatever it holds at start (the script-tag build is
// checked the same way in real Chromium: test/e2e/sdk-attributes-at-start.test.ts).
describe('createHookline with attributes present at start', () => {
  it.each(COMBOS.map((combo) => [combo.join('+'), combo] as const))('%s', async (_, combo) => {
    document.body.innerHTML = element(combo)
    const hl = start()
    await flush()
    const id = combo.join('-')
    const atLoad = combo.includes('event') && combo.includes('screen')
    expect(fired(hl)).toEqual(
      atLoad ? [{ name: `ev-${id}`, props: combo.includes('props') ? { combo: id } : undefined }] : [],
    )
    // happy-dom has no Web Locks (said once); anything else would be the page's attributes going wrong.
    const problems = hl.log
      .get()
      .filter((entry) => entry.kind === 'rejected' || (entry.kind === 'warning' && !/Web Locks/.test(entry.message)))
    expect(problems).toEqual([])
  })

  it('every combination at once, nested in a screen that tracks itself', async () => {
    document.body.innerHTML = `<main data-hl-screen="all" data-hl-event="all-viewed">${COMBOS.map(element).join('')}</main>`
    const hl = start()
    await flush()
    const screens = COMBOS.filter((combo) => combo.includes('event') && combo.includes('screen'))
    expect(
      fired(hl)
        .map((event) => event.name)
        .sort(),
    ).toEqual(['all-viewed', ...screens.map((combo) => `ev-${combo.join('-')}`)].sort())
  })

  it('a document without a location or window (one from DOMParser) is watched, without routes', async () => {
    const parsed = new DOMParser().parseFromString(
      '<section data-hl-screen="x" data-hl-event="x-viewed"></section>',
      'text/html',
    )
    // As in browsers (happy-dom gives parsed documents both): no browsing context, so no location.
    Object.defineProperty(parsed, 'location', { value: null })
    Object.defineProperty(parsed, 'defaultView', { value: null })
    const hl = start(parsed)
    expect(hl.track('still-works')).toMatch(/^evt_/)
    await flush()
    expect(fired(hl).map((event) => event.name)).toEqual(['x-viewed', 'still-works'])
    expect(hl.log.get().filter((entry) => entry.kind === 'warning' && !/Web Locks/.test(entry.message))).toEqual([])
  })
})
