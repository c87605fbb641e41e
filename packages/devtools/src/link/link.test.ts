import { afterEach, describe, expect, it, vi } from 'vitest'
import { startDashboardLink } from './link.ts'
import { LINK } from './messages.ts'

const ORIGIN = 'http://127.0.0.1:5173'

/** A tab opened by a dashboard: its own events, and an opener that records what it is sent. */
function openedTab() {
  const opener = { postMessage: vi.fn() }
  const events = new EventTarget()
  const reload = vi.fn()
  const win = Object.assign(events, {
    opener,
    location: { origin: ORIGIN, reload },
    document,
    focus: () => {},
  }) as unknown as Window
  const deliver = (data: unknown, origin = ORIGIN, source: unknown = opener) =>
    events.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }))
  return { win, opener, reload, deliver }
}

let stop: (() => void) | undefined
afterEach(() => {
  stop?.()
  document.body.innerHTML = ''
})

describe('the prototype end of the dashboard link', () => {
  it('greets its opener on its own origin only', () => {
    const tab = openedTab()
    stop = startDashboardLink(tab.win)
    expect(tab.opener.postMessage).toHaveBeenCalledWith({ link: LINK, type: 'hello' }, ORIGIN)
  })

  it('answers counts from its opener on its origin, and nobody else', () => {
    document.body.innerHTML = '<button id=pay>Pay</button><button>Other</button>'
    const tab = openedTab()
    stop = startDashboardLink(tab.win)
    tab.opener.postMessage.mockClear()
    tab.deliver({ link: LINK, type: 'count', id: 1, selector: 'button' }, 'http://evil.test')
    tab.deliver({ link: LINK, type: 'count', id: 2, selector: 'button' }, ORIGIN, { postMessage: () => {} })
    tab.deliver({ type: 'count', id: 3, selector: 'button' })
    tab.deliver({ link: LINK, type: 'reload' }, 'http://evil.test')
    expect(tab.opener.postMessage).not.toHaveBeenCalled()
    expect(tab.reload).not.toHaveBeenCalled()

    tab.deliver({ link: LINK, type: 'count', id: 4, selector: 'button' })
    tab.deliver({ link: LINK, type: 'count', id: 5, selector: '#pay[' })
    const counted = (id: number, selector: string, matches: number | null) =>
      [{ link: LINK, type: 'counted', id, selector, matches }, ORIGIN] as const
    const calls: unknown[] = tab.opener.postMessage.mock.calls
    expect(calls).toEqual([counted(4, 'button', 2), counted(5, '#pay[', null)])
    tab.deliver({ link: LINK, type: 'reload' })
    expect(tab.reload).toHaveBeenCalledOnce()
  })

  it('does nothing in a tab nobody opened', () => {
    const tab = openedTab()
    Object.assign(tab.win, { opener: null })
    expect(startDashboardLink(tab.win)).toBeUndefined()
  })
})
