import { afterEach, describe, expect, it } from 'vitest'
import { stableSelector, tapTarget } from './selector.ts'

const page = (html: string) => {
  document.body.innerHTML = html
}
const pick = (css: string) => stableSelector(document.querySelector(css)!)

afterEach(() => {
  document.body.innerHTML = ''
})

describe('stableSelector', () => {
  it('prefers a data-hl-* attribute, data-hl-event first', () => {
    page(
      `<a id=pay data-hl-set="x=1" data-hl-event="checkout-completed" href="#s">Pay</a><a data-hl-event="other">x</a>`,
    )
    expect(pick('#pay')).toBe('[data-hl-event="checkout-completed"]')
  })

  it('then the id, when the data-hl-* attribute is shared', () => {
    page(`<button id="buy-now" data-hl-event="buy">A</button><button data-hl-event="buy">B</button>`)
    expect(pick('#buy-now')).toBe('#buy-now')
  })

  it('then role and accessible name: an aria-label, a link href, a radio name and value', () => {
    page(`<div><button aria-label="Close dialog">×</button><button>Other</button>
      <a href="#cart">Cart</a><a href="#shop">Shop</a>
      <input type=radio name=ship value=express><input type=radio name=ship value=standard></div>`)
    expect(pick('[aria-label]')).toBe('button[aria-label="Close dialog"]')
    expect(pick('a[href="#cart"]')).toBe('a[href="#cart"]')
    expect(pick('[value=express]')).toBe('input[name="ship"][value="express"]')
  })

  it('then the shortest unique path, anchored on the nearest id', () => {
    page(`<main id="m"><section><p>a</p><p>b</p></section></main><aside><p>c</p></aside>`)
    const second = document.querySelectorAll('main p')[1]!
    const selector = stableSelector(second)
    expect(document.querySelectorAll(selector)).toHaveLength(1)
    expect(document.querySelector(selector)).toBe(second)
    expect(selector).toBe('p:nth-of-type(2)')
  })

  it('quotes what it copies from the page, so any value stays one valid selector', () => {
    page(`<button data-hl-event='say "hi" \\ now'>x</button>`)
    const selector = pick('button')
    expect(document.querySelector(selector)).toBe(document.querySelector('button'))
  })
})

describe('tapTarget', () => {
  it('is the wired or interactive element around what the pointer is on', () => {
    page(`<a data-hl-event="pay" href="#x"><span id=in>Pay <b id=deep>now</b></span></a><p id=plain>text</p>`)
    expect(tapTarget(document.querySelector('#deep')!).localName).toBe('a')
    expect(tapTarget(document.querySelector('#plain')!).id).toBe('plain')
  })
})
