import {
  DOORBELL,
  isLinkMessage,
  LINK,
  type ToDashboard,
  type ToPrototype,
  type Unmarked,
} from '@hookline/devtools/link'
import { atom } from 'nanostores'

/** The prototype's address; `#product` is its first screen. */
export const PROTOTYPE_URL = '/prototype/#product'
const NAME = 'hookline-prototype'

/**
 * The prototype tab opened from this dashboard, linked by postMessage (its end is in the devtools
 * panel). "Pick in prototype" picks in it, selectors are counted in it (a saved config reaches
 * every open prototype by the relay's stream, not by this link). The tab
 * greets the dashboard on load, and again when a reloaded dashboard rings (the doorbell), so the
 * link survives a reload of either side. True while a tab is linked.
 */
export const prototypeLinked = atom(false)

let linked: Window | null = null
const waiting = new Set<(message: ToDashboard) => void>()

function current(): Window | null {
  if (linked?.closed) {
    linked = null
    prototypeLinked.set(false)
  }
  return linked
}

if (typeof window !== 'undefined') {
  window.addEventListener('message', (event: MessageEvent) => {
    // Same origin only: the prototype is served by the same demo server as the dashboard.
    if (event.origin !== location.origin || !isLinkMessage(event.data)) return
    const message = event.data as ToDashboard
    if (message.type === 'hello' && event.source) {
      linked = event.source as Window
      prototypeLinked.set(true)
    }
    if (event.source !== linked) return
    for (const listener of [...waiting]) listener(message)
  })
  if (typeof BroadcastChannel !== 'undefined') {
    const doorbell = new BroadcastChannel(DOORBELL)
    doorbell.postMessage('ring')
    doorbell.close()
  }
}

function send(message: Unmarked<ToPrototype>): boolean {
  const target = current()
  if (!target) return false
  target.postMessage({ link: LINK, ...message }, location.origin)
  return true
}

/** Resolves with the first message `accept` takes, or undefined after `ms`. */
function answer<T>(accept: (message: ToDashboard) => T | undefined, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const listener = (message: ToDashboard) => {
      const value = accept(message)
      if (value === undefined) return
      done(value)
    }
    const timer = setTimeout(() => done(undefined), ms)
    function done(value: T | undefined) {
      clearTimeout(timer)
      waiting.delete(listener)
      resolve(value)
    }
    waiting.add(listener)
  })
}

/** Click handler for links to the prototype: opens (or refocuses) its tab. */
export function openPrototype(event: MouseEvent): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  const opened = window.open(PROTOTYPE_URL, NAME)
  opened?.focus()
}

/** Reloads the linked prototype tab; false when there is none. */
/**
 * "Pick in prototype": the linked tab highlights what is under the pointer until a click picks it.
 * Resolves with the picked element's selector, or null when the pick was cancelled or no tab is linked.
 */
export async function pickInPrototype(): Promise<{ selector: string; matches: number } | null> {
  if (!send({ type: 'pick' })) return null
  const picked = await answer(
    (message) =>
      message.type === 'picked'
        ? { selector: message.selector, matches: message.matches }
        : message.type === 'pick-cancelled'
          ? null
          : undefined,
    10 * 60_000,
  )
  return picked ?? null
}

/** Stops a pick in progress. */
export function cancelPick(): void {
  send({ type: 'cancel-pick' })
}

let counter = 0

/** How many elements `selector` matches in the linked tab; undefined when no tab answers. */
export async function countInPrototype(selector: string): Promise<number | null | undefined> {
  const id = ++counter
  if (!send({ type: 'count', id, selector })) return undefined
  return answer((message) => (message.type === 'counted' && message.id === id ? message.matches : undefined), 2000)
}

/** Opens the prototype tab if none is linked, and waits (up to 15 s) for it to greet. */
export async function ensurePrototype(): Promise<boolean> {
  if (current()) return true
  window.open(PROTOTYPE_URL, NAME)
  const greeted = await answer((message) => (message.type === 'hello' ? true : undefined), 15_000)
  return greeted === true
}
