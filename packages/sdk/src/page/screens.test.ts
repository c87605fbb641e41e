import { afterEach, describe, expect, it } from 'vitest'
import { createDom } from './dom.ts'
import { createScreens } from './screens.ts'

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
let cleanup = () => {}
afterEach(() => cleanup())

function setup(html = '') {
  document.body.innerHTML = html
  const dom = createDom(document)
  const screens = createScreens(dom)
  const shown: Array<[string, string | undefined]> = []
  screens.onShow((name, element) => shown.push([name, element?.id]))
  cleanup = () => {
    screens.destroy()
    dom.destroy()
  }
  return { screens, shown }
}

describe('screens', () => {
  it('watch nothing until started; starting reports the screens showing at start, once', () => {
    const { screens, shown } = setup('<section id=a data-hl-screen="cart"></section><p id=b data-hl-screen=""></p>')
    expect(shown).toEqual([])
    expect(screens.start()).toBe(true)
    expect(shown).toEqual([['cart', 'a']])
    expect(screens.start()).toBe(false)
    expect(shown).toHaveLength(1)
    expect(screens.showing('cart')).toBe(true)
    expect(screens.showing('pay')).toBe(false)
  })

  it('current() starts watching and names the last screen that appeared', async () => {
    const { screens, shown } = setup('<main id=app><section id=a data-hl-screen="cart"></section></main>')
    expect(screens.current()).toBe('cart')
    expect(shown).toEqual([['cart', 'a']])
    document.querySelector('#app')!.insertAdjacentHTML('beforeend', '<section id=b data-hl-screen="pay"></section>')
    await flush()
    expect(screens.current()).toBe('pay')
    document.querySelector('#b')!.setAttribute('data-hl-screen', 'done')
    await flush()
    expect(shown).toEqual([
      ['cart', 'a'],
      ['pay', 'b'],
      ['done', 'b'],
    ])
  })

  it('report handlers in the order they were added, and not after their remover', () => {
    document.body.innerHTML = '<section data-hl-screen="cart"></section>'
    const dom = createDom(document)
    const screens = createScreens(dom)
    cleanup = () => {
      screens.destroy()
      dom.destroy()
    }
    const order: string[] = []
    screens.onShow(() => order.push('first'))
    const off = screens.onShow(() => order.push('second'))
    screens.start()
    off()
    expect(order).toEqual(['first', 'second'])
  })
})
