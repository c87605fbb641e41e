import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeHookline } from './fake-hookline.ts'
import { mount } from './mount.tsx'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

function open(...args: Parameters<typeof mount>) {
  const unmount = mount(...args)
  cleanups.push(unmount)
  const host = document.querySelector('hookline-devtools')!
  return { unmount, host, root: host.shadowRoot! }
}

// Preact runs effects (and so store subscriptions) after a frame; wait past it.
const tick = () => new Promise((resolve) => setTimeout(resolve, 40))

describe('mount', () => {
  it('renders the panel inside a shadow root, with its own stylesheet', () => {
    const { hl } = fakeHookline()
    const { root } = open(hl)
    expect(root.querySelector('style')?.textContent).toContain(':host')
    expect(root.querySelector('section[aria-label="Hookline devtools"]')).not.toBeNull()
    expect(document.body.querySelector('section')).toBeNull()
  })

  it('shows new log entries live, newest first, with their payload', async () => {
    const fake = fakeHookline()
    const { root } = open(fake.hl)
    fake.push({ kind: 'fired', at: Date.now(), eventId: 'evt_1', name: 'checkout-completed', props: { total: 42 } })
    fake.push({
      kind: 'delivered',
      at: Date.now(),
      eventId: 'evt_1',
      webhookId: 'wh_1',
      status: 200,
      latencyMs: 12,
      attempt: 1,
    })
    await tick()
    const rows = [...root.querySelectorAll('.row')]
    expect(rows.map((row) => row.querySelector('.badge')?.textContent)).toEqual(['delivered', 'fired'])
    expect(rows[0]!.querySelector('.title')?.textContent).toBe('checkout-completed')
    expect(rows[1]!.querySelector('pre')?.textContent).toContain('"total": 42')
  })

  it('filters the log', async () => {
    const fake = fakeHookline()
    const { root } = open(fake.hl)
    fake.push({ kind: 'fired', at: Date.now(), eventId: 'evt_1', name: 'add-to-cart' })
    fake.push({ kind: 'fired', at: Date.now(), eventId: 'evt_2', name: 'checkout-completed' })
    await tick()
    const input = root.querySelector<HTMLInputElement>('input[type=search]')!
    input.value = 'cart'
    input.dispatchEvent(new Event('input', { bubbles: true }))
    await tick()
    expect([...root.querySelectorAll('.row .title')].map((title) => title.textContent)).toEqual(['add-to-cart'])
  })

  it('shows queue depth and connection state', async () => {
    const fake = fakeHookline()
    const { root } = open(fake.hl)
    fake.status.set({ ...fake.status.get(), online: false, queued: 3, stream: 'closed' })
    await tick()
    const text = root.querySelector('.status')!.textContent
    expect(text).toContain('offline')
    expect(text).toContain('3 queued')
    // Offline while the stream still says open: one state, offline.
    fake.status.set({ ...fake.status.get(), online: false, stream: 'open' })
    await tick()
    expect(root.querySelector('.status')!.textContent).toContain('offline')
    expect(root.querySelector('.status')!.textContent).not.toContain('live')
    fake.status.set({ ...fake.status.get(), online: true, stream: 'open' })
    await tick()
    expect(root.querySelector('.status')!.textContent).toContain('live')
    expect(root.querySelector('.status')!.textContent).not.toContain('offline')
  })

  it('names events restored from the queue by the name their queued entry carries', async () => {
    const fake = fakeHookline()
    const { root } = open(fake.hl)
    fake.push({ kind: 'queued', at: Date.now(), eventId: 'evt_9', depth: 1, name: 'checkout-completed' })
    fake.push({ kind: 'acknowledged', at: Date.now(), eventIds: ['evt_9'] })
    await tick()
    const titles = [...root.querySelectorAll('.row .title')].map((title) => title.textContent)
    expect(titles.join(' ')).toContain('checkout-completed')
    expect(titles.join(' ')).not.toContain('evt_9')
  })

  it('edits a variable in place through hl.vars.setKey', async () => {
    const { hl } = fakeHookline({ orderStatus: 'none', cartCount: 0 })
    const setKey = vi.spyOn(hl.vars, 'setKey')
    const { root } = open(hl)
    root.querySelector<HTMLButtonElement>('#hl-tab-vars')!.click()
    await tick()
    const field = root.querySelector<HTMLInputElement>('#var-cartCount')!
    expect(field.value).toBe('0')
    field.value = '2'
    field.dispatchEvent(new Event('input', { bubbles: true }))
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    await tick()
    expect(setKey).toHaveBeenCalledWith('cartCount', 2)
    expect(hl.vars.get().cartCount).toBe(2)
  })

  it('toggles with Alt+Shift+H and closes with Escape', async () => {
    const { hl } = fakeHookline()
    const { root } = open(hl)
    const press = (init: KeyboardEventInit, target: EventTarget = window) =>
      target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, ...init }))
    press({ code: 'KeyH', key: 'H', altKey: true, shiftKey: true })
    await tick()
    expect(root.querySelector('section')).toBeNull()
    expect(root.querySelector('.launcher')).not.toBeNull()
    press({ code: 'KeyH', key: 'H', altKey: true, shiftKey: true })
    await tick()
    press({ key: 'Escape' }, root.querySelector('section')!)
    await tick()
    expect(root.querySelector('section')).toBeNull()
  })

  it('mounts once per instance and unmounts cleanly', () => {
    const { hl } = fakeHookline()
    const first = open(hl)
    mount(hl)
    expect(document.querySelectorAll('hookline-devtools')).toHaveLength(1)
    first.unmount()
    expect(document.querySelector('hookline-devtools')).toBeNull()
  })

  it('docks into a given container', () => {
    const { hl } = fakeHookline()
    const container = document.createElement('div')
    document.body.append(container)
    const { host, root } = open(hl, { container })
    expect(host.parentElement).toBe(container)
    expect(root.querySelector('section')?.classList.contains('docked')).toBe(true)
    container.remove()
  })
})

describe('autoMount', () => {
  it('mounts on window.hookline once it exists, closed when asked', async () => {
    const { autoMount } = await import('./auto-mount.ts')
    const script = document.createElement('script')
    script.setAttribute('data-mount', 'closed')
    autoMount(script)
    expect(document.querySelector('hookline-devtools')).toBeNull()
    const { hl } = fakeHookline()
    ;(window as unknown as { hookline: unknown }).hookline = hl
    await new Promise((resolve) => setTimeout(resolve, 250))
    const host = document.querySelector('hookline-devtools')!
    cleanups.push(() => host.remove())
    expect(host.shadowRoot!.querySelector('.launcher')).not.toBeNull()
    delete (window as unknown as { hookline?: unknown }).hookline
  })
})

describe('keyboard', () => {
  it('moves between tabs with the arrow keys, Home and End', async () => {
    const { hl } = fakeHookline({ a: 1 })
    const { root } = open(hl)
    const tabs = () => [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')]
    tabs()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
    await tick()
    expect(tabs().map((tab) => tab.getAttribute('aria-selected'))).toEqual(['false', 'true'])
    expect(root.activeElement).toBe(tabs()[1])
    expect(root.querySelector('[role=tabpanel]')?.getAttribute('aria-labelledby')).toBe('hl-tab-vars')
    tabs()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }))
    await tick()
    expect(tabs()[0]!.getAttribute('aria-selected')).toBe('true')
    expect(tabs().map((tab) => tab.tabIndex)).toEqual([0, -1])
  })

  it('labels every control', () => {
    const { hl } = fakeHookline({ orderStatus: 'none' })
    const { root } = open(hl)
    root.querySelector<HTMLButtonElement>('#hl-tab-vars')!.click()
    return tick().then(() => {
      for (const control of root.querySelectorAll('input, button')) {
        const labelled =
          control.getAttribute('aria-label') ||
          control.textContent.trim() ||
          control.closest('label') ||
          (control.id && root.querySelector(`label[for="${control.id}"]`))
        expect(labelled, control.outerHTML).toBeTruthy()
      }
    })
  })
})
