import { messageText } from '../messages.ts'
import type { Json } from '@hookline/protocol'
import { map } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import type { TriggerSpec } from '../types.ts'
import { createDom, routeName } from './dom.ts'
import { createScreens } from './screens.ts'
import { createTriggers } from './triggers.ts'

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

let cleanup = () => {}
afterEach(() => cleanup())

function setup(html = '') {
  document.body.innerHTML = html
  const vars = map<Record<string, Json>>({ plan: 'free' })
  const fired: Array<{ name: string; spec: TriggerSpec; element?: Element }> = []
  const warnings: string[] = []
  const dom = createDom(document)
  const screens = createScreens(dom)
  const triggers = createTriggers(
    dom,
    screens,
    vars,
    (code, ...args) => warnings.push(messageText(code, args)),
    (name, spec, element) => fired.push({ name, spec, element }),
  )
  cleanup = () => {
    triggers.destroy()
    screens.destroy()
    dom.destroy()
  }
  return { vars, fired, warnings, triggers, screens, dom }
}

const click = (element: Element) => element.dispatchEvent(new MouseEvent('click', { bubbles: true }))
const key = (element: Element, key: string) =>
  element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))

describe('tap triggers', () => {
  it('fire on a click inside the matching element, by delegation (elements added later too)', () => {
    const { fired, triggers } = setup('<div id=list></div>')
    triggers.add('add-to-cart', { tap: '.add' })
    document.querySelector('#list')!.innerHTML = '<button class="add"><span id=label>Add</span></button>'
    click(document.querySelector('#label')!)
    expect(fired.map((f) => f.name)).toEqual(['add-to-cart'])
    expect(fired[0]!.element).toBe(document.querySelector('.add'))
  })

  it('fire on Enter and Space on a focusable that is not a native control, not on a button (its click comes)', () => {
    const { fired, triggers } = setup('<div id=card tabindex=0>Card</div><button id=b>B</button><div id=plain>P</div>')
    triggers.add('card-opened', { tap: '#card' })
    triggers.add('b', { tap: '#b' })
    triggers.add('plain', { tap: '#plain' })
    key(document.querySelector('#card')!, 'Enter')
    key(document.querySelector('#card')!, ' ')
    key(document.querySelector('#card')!, 'a')
    key(document.querySelector('#b')!, 'Enter')
    key(document.querySelector('#plain')!, 'Enter')
    expect(fired.map((f) => f.name)).toEqual(['card-opened', 'card-opened'])
  })

  it('cannot be added twice, and stop after their remover or destroy', () => {
    const { fired, triggers, screens, dom } = setup('<button id=b>B</button>')
    const off = triggers.add('b', { tap: '#b' })
    triggers.add('b', { tap: '#b' })
    click(document.querySelector('#b')!)
    expect(fired).toHaveLength(1)
    off()
    click(document.querySelector('#b')!)
    expect(fired).toHaveLength(1)
    triggers.add('b', { tap: '#b' })
    triggers.destroy()
    screens.destroy()
    dom.destroy()
    click(document.querySelector('#b')!)
    expect(fired).toHaveLength(1)
  })

  it('ignore an invalid selector with a warning', () => {
    const { warnings, triggers } = setup()
    triggers.add('x', { tap: '##' })
    expect(warnings[0]).toMatch(/is not a CSS selector/)
  })

  it('ignore a bad event name or a spec with no kind, with a warning', () => {
    const { warnings, triggers, fired } = setup('<button id=b>B</button>')
    triggers.add('Not A Name', { tap: '#b' })
    triggers.add('ok', {} as TriggerSpec)
    triggers.add('ok', null as unknown as TriggerSpec)
    click(document.querySelector('#b')!)
    expect(fired).toEqual([])
    expect(warnings).toEqual([
      expect.stringMatching(/^hl\.on\(\): "Not A Name" is not an event name/),
      'hl.on("ok"): needs tap, screen or change; ignored',
      'hl.on("ok"): needs tap, screen or change; ignored',
    ])
  })
})

describe('screen triggers', () => {
  it('fire when a [data-hl-screen] element appears, once per element, and set the current screen', async () => {
    const { fired, triggers, screens } = setup('<main id=app></main>')
    triggers.add('pricing-viewed', { screen: 'pricing' })
    expect(fired).toEqual([])
    document.querySelector('#app')!.innerHTML = '<section data-hl-screen="pricing">…</section>'
    await flush()
    expect(fired.map((f) => f.name)).toEqual(['pricing-viewed'])
    expect(screens.current()).toBe('pricing')
    document.querySelector('#app')!.appendChild(document.createElement('p'))
    await flush()
    expect(fired).toHaveLength(1)
    document.querySelector('#app')!.innerHTML = '<section data-hl-screen="checkout"></section>'
    await flush()
    expect(screens.current()).toBe('checkout')
    document.querySelector('#app')!.innerHTML = '<section data-hl-screen="pricing"></section>'
    await flush()
    expect(fired).toHaveLength(2)
  })

  it('fire at once when added while the screen is showing', () => {
    const { fired, triggers } = setup('<section data-hl-screen="pricing"></section>')
    triggers.add('pricing-viewed', { screen: 'pricing' })
    expect(fired.map((f) => f.name)).toEqual(['pricing-viewed'])
  })

  it('fire once for the route already showing when they start', async () => {
    history.pushState({}, '', '/#/pricing')
    const { fired, triggers, screens } = setup()
    triggers.add('pricing-viewed', { screen: 'pricing' })
    triggers.add('checkout-viewed', { screen: 'checkout' })
    triggers.add('pricing-seen', { screen: 'pricing' })
    await flush()
    expect(fired.map((f) => f.name)).toEqual(['pricing-viewed', 'pricing-seen'])
    expect(screens.current()).toBe('pricing')
    history.pushState({}, '', '/')
  })

  it('fire on a route change by history or hash', async () => {
    const { fired, triggers } = setup()
    triggers.add('pricing-viewed', { screen: 'pricing' })
    history.pushState({}, '', '/shop/pricing')
    await flush()
    window.dispatchEvent(new PopStateEvent('popstate'))
    await flush()
    expect(fired.map((f) => f.name)).toEqual(['pricing-viewed'])
    history.pushState({}, '', '/')
    window.dispatchEvent(new PopStateEvent('popstate'))
    location.hash = '#/pricing'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    await flush()
    expect(fired).toHaveLength(2)
  })
})

describe('change triggers', () => {
  it('fire when the variable changes, or only when it changes to `to`', () => {
    const { vars, fired, triggers } = setup()
    triggers.add('plan-changed', { change: 'plan' })
    triggers.add('plan-pro', { change: 'plan', to: 'pro' })
    vars.setKey('plan', 'team')
    vars.setKey('other', 1)
    vars.setKey('plan', 'pro')
    vars.set({ ...vars.get(), plan: 'free' })
    expect(fired.map((f) => f.name)).toEqual(['plan-changed', 'plan-changed', 'plan-pro', 'plan-changed'])
  })
})

describe('quietly', () => {
  it('changes variables without firing change triggers', () => {
    const { vars, fired, triggers } = setup()
    triggers.add('plan-changed', { change: 'plan' })
    triggers.quietly(() => vars.setKey('plan', 'team'))
    expect(fired).toEqual([])
    vars.setKey('plan', 'pro')
    expect(fired).toHaveLength(1)
  })
})

describe('routeName', () => {
  it('prefers the hash path, else the last path segment', () => {
    expect(routeName({ hash: '#/pricing', pathname: '/' })).toBe('pricing')
    expect(routeName({ hash: '#!/a/b', pathname: '/' })).toBe('a/b')
    expect(routeName({ hash: '', pathname: '/shop/pricing/' })).toBe('pricing')
    expect(routeName({ hash: '', pathname: '/' })).toBe('')
    expect(routeName(null)).toBe('') // a document from DOMParser has no location
  })
})
