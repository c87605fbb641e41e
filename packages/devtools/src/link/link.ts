import {
  countMatches,
  DOORBELL,
  isLinkMessage,
  LINK,
  type ToDashboard,
  type ToPrototype,
  type Unmarked,
} from './messages.ts'
import { startPicking, type Picking } from './picker.ts'

/**
 * The prototype's end of the dashboard link, in a tab the dashboard opened: it answers the
 * dashboard's asks (pick an element, count a selector's matches, reload) and greets it on load.
 * Only messages from `window.opener`, on this very origin, are heard; answers go to that origin only.
 * Returns its stop, or nothing to stop when no dashboard opened this tab.
 */
export function startDashboardLink(win: Window = window): (() => void) | undefined {
  const opener = win.opener as Window | null
  if (!opener) return undefined
  const origin = win.location.origin
  const send = (message: Unmarked<ToDashboard>) => {
    try {
      opener.postMessage({ link: LINK, ...message }, origin)
    } catch {
      // The dashboard tab is gone, or is no longer on this origin: nobody to tell.
    }
  }
  let picking: Picking | undefined
  const onMessage = (event: MessageEvent) => {
    if (event.origin !== origin || event.source !== opener || !isLinkMessage(event.data)) return
    const message = event.data as ToPrototype
    if (message.type === 'pick') {
      picking?.cancel()
      picking = startPicking(
        win.document,
        (selector) => {
          picking = undefined
          send({ type: 'picked', selector, matches: countMatches(win.document, selector) ?? 0 })
        },
        () => {
          picking = undefined
          send({ type: 'pick-cancelled' })
        },
      )
      win.focus()
    } else if (message.type === 'cancel-pick') {
      picking?.cancel()
      picking = undefined
    } else if (message.type === 'count') {
      send({
        type: 'counted',
        id: message.id,
        selector: message.selector,
        matches: countMatches(win.document, message.selector),
      })
    } else {
      // 'reload'
      win.location.reload()
    }
  }
  win.addEventListener('message', onMessage)
  // A dashboard that reloaded has lost this tab: it rings, and the tab greets it again.
  const doorbell = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(DOORBELL)
  if (doorbell) doorbell.onmessage = () => send({ type: 'hello' })
  send({ type: 'hello' })
  return () => {
    win.removeEventListener('message', onMessage)
    doorbell?.close()
    picking?.cancel()
  }
}
