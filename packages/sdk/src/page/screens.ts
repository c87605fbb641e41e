import { undo, type Cleanups } from '../cleanups.ts'
import type { Dom } from './dom.ts'
import { createHandlers } from './handlers.ts'

/** A screen showed: a `[data-hl-screen]` element appeared (`element`), or the route became `name`. */
export type ScreenHandler = (name: string, element?: Element) => void

export interface Screens {
  /** The current screen: the last `[data-hl-screen]` that appeared, else the route. Starts watching. */
  current(): string | undefined
  /** Whether `name` shows now, as a `[data-hl-screen]` element or as the route. */
  showing(name: string): boolean
  /** Calls `handler` for every screen that shows while watching, after the handlers added before it. */
  onShow: (handler: ScreenHandler) => () => void
  /**
   * Starts watching (once): the screens showing now are reported to the handlers as shown, since
   * a page opening on a screen counts as a screen load. Returns false when it had already started.
   */
  start(): boolean
  destroy(): void
}

/**
 * The screens of the page: `[data-hl-screen]` elements, each reported once when it appears (again
 * when its name changes, or after it left and came back), and the route, reported when it changes.
 * Watches nothing until started: a page without screen triggers or attributes pays for no observer.
 */
export function createScreens(dom: Dom): Screens {
  const shown = createHandlers<[name: string, element?: Element]>()
  let seen = new Map<Element, string>()
  let current: string | undefined
  let started = false
  const offs: Cleanups = []

  const scan = (): void => {
    const next = new Map<Element, string>()
    const fresh: Array<[string, Element]> = []
    for (const element of dom.document.querySelectorAll('[data-hl-screen]')) {
      const name = element.getAttribute('data-hl-screen') ?? ''
      next.set(element, name)
      if (name && seen.get(element) !== name) fresh.push([name, element])
    }
    seen = next
    for (const [name, element] of fresh) {
      current = name
      shown.call(name, element)
    }
  }

  const onRoute = (route: string): void => {
    scan()
    if (!route) return
    if (!seen.size) current = route
    shown.call(route)
  }

  const start = (): boolean => {
    if (started) return false
    started = true
    offs.push(dom.onMutate(scan), dom.onRoute(onRoute))
    onRoute(dom.route())
    return true
  }

  return {
    current() {
      start()
      return current ?? (dom.route() || undefined)
    },
    showing: (name) => current === name || [...seen.values()].includes(name),
    onShow: shown.add,
    start,
    destroy() {
      undo(offs)
      shown.clear()
      started = false
    },
  }
}
