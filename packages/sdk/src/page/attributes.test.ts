import { messageText } from '../messages.ts'
import type { Json, JsonObject } from '@hookline/protocol'
import { map } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import { createLog } from '../log.ts'
import { formatValue, parseSet } from './attribute-values.ts'
import { wireAttributes } from './attributes.ts'
import { bindVariables } from './bind.ts'
import { createDom } from './dom.ts'
import { createScreens } from './screens.ts'

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
let cleanup = () => {}
afterEach(() => cleanup())

function setup(html: string) {
  document.body.innerHTML = html
  const vars = map<Record<string, Json>>({ orderStatus: 'none' })
  const log = createLog(100, false, messageText)
  const tracked: Array<[string, JsonObject | undefined]> = []
  const dom = createDom(document)
  const screens = createScreens(dom)
  const offAttributes = wireAttributes(dom, screens, vars, log, (name, props) => tracked.push([name, props]))
  const offBind = bindVariables(dom, vars)
  const off = () => {
    offAttributes()
    offBind()
  }
  cleanup = () => {
    off()
    screens.destroy()
    dom.destroy()
  }
  return { vars, log, tracked, off }
}

const click = (selector: string) =>
  document.querySelector(selector)!.dispatchEvent(new MouseEvent('click', { bubbles: true }))

describe('HTML attributes', () => {
  it('data-hl-event with data-hl-props tracks on tap', () => {
    const { tracked } = setup(
      `<button data-hl-event="add-to-cart" data-hl-props='{"sku":"A1"}'><b id=in>Add</b></button>`,
    )
    click('#in')
    expect(tracked).toEqual([['add-to-cart', { sku: 'A1' }]])
  })

  it('data-hl-props that is not JSON is left out, with a warning', async () => {
    const { tracked, log } = setup(`<button id=b data-hl-event="x" data-hl-props='{sku:A1}'>x</button>`)
    click('#b')
    expect(tracked).toEqual([['x', undefined]])
    await Promise.resolve()
    expect(log.store.get().some((e) => e.kind === 'warning' && /data-hl-props/.test(e.message))).toBe(true)
  })

  it('data-hl-set sets variables on tap, before the tap event is tracked', () => {
    let seen: Json | undefined
    const { vars, tracked } = setup(
      `<button id=b data-hl-set="plan=pro; seats=3" data-hl-event="plan-selected">Pro</button>`,
    )
    vars.listen(() => (seen = vars.get().plan))
    click('#b')
    expect(vars.get()).toMatchObject({ plan: 'pro', seats: 3 })
    expect(seen).toBe('pro')
    expect(tracked).toEqual([['plan-selected', undefined]])
  })

  it('data-hl-bind leaves the page’s own text until the variable has a value', () => {
    const { vars } = setup(`<span id=s data-hl-bind="plan">free</span>`)
    expect(document.querySelector('#s')!.textContent).toBe('free')
    vars.setKey('plan', null)
    expect(document.querySelector('#s')!.textContent).toBe('')
  })

  it('data-hl-bind shows a variable and follows it, also in elements added later', async () => {
    const { vars } = setup(`<span id=s data-hl-bind="orderStatus"></span><div id=later></div>`)
    expect(document.querySelector('#s')!.textContent).toBe('none')
    vars.setKey('orderStatus', 'shipped')
    expect(document.querySelector('#s')!.textContent).toBe('shipped')
    document.querySelector('#later')!.innerHTML = '<input id=i data-hl-bind="orderStatus">'
    await flush()
    expect((document.querySelector('#i') as HTMLInputElement).value).toBe('shipped')
  })

  it('a data-hl-screen element with data-hl-event tracks when it appears, not on tap', async () => {
    const { tracked } = setup(`<main id=app></main>`)
    document.querySelector('#app')!.innerHTML =
      `<section id=p data-hl-screen="pricing" data-hl-event="pricing-viewed" data-hl-props='{"from":"nav"}'>x</section>`
    await flush()
    click('#p')
    expect(tracked).toEqual([['pricing-viewed', { from: 'nav' }]])
  })

  it('a data-hl-screen element with data-hl-event present at start tracks at once, with its props', () => {
    const { tracked } = setup(
      `<section data-hl-screen="pricing" data-hl-event="pricing-viewed" data-hl-props='{"from":"load"}'></section>`,
    )
    expect(tracked).toEqual([['pricing-viewed', { from: 'load' }]])
  })

  it('stop when unwired', () => {
    const { tracked, off } = setup(`<button id=b data-hl-event="x">x</button>`)
    off()
    click('#b')
    expect(tracked).toEqual([])
  })
})

describe('parseSet and formatValue', () => {
  it('parse JSON values, else text', () => {
    expect(parseSet('plan=pro; n=2; ok=true; o={"a":1}; bad')).toEqual({ plan: 'pro', n: 2, ok: true, o: { a: 1 } })
  })
  it('format values for text', () => {
    expect([formatValue(undefined), formatValue(null), formatValue(3), formatValue({ a: 1 })]).toEqual([
      '',
      '',
      '3',
      '{"a":1}',
    ])
  })
})
