import { listen, undo, type Cleanups } from '../cleanups.ts'
import { createHandlers } from './handlers.ts'

/**
 * The SDK's only DOM listeners, shared by triggers and attributes: one delegated click and one
 * keydown listener on the document, one MutationObserver, one set of route listeners. Each is added
 * when its first handler arrives and removed with `destroy`, so listeners can never pile up.
 */
export interface Dom {
  readonly document: Document
  /** Activation of `element`: a click (mouse, touch, pen), or Enter/Space on a focusable that is not a native control. */
  onTap(handler: (element: Element) => void): () => void
  /** The document's elements changed (one call per mutation batch). */
  onMutate(handler: () => void): () => void
  /** The route changed by history or hash; `route` is the hash path, else the last path segment. */
  onRoute(handler: (route: string) => void): () => void
  /** The current route name. */
  route(): string
  destroy(): void
}

/** Elements that act on Enter or Space by themselves (links too, when they have an href). */
const NATIVE = /^(BUTTON|SUMMARY|SELECT|TEXTAREA|INPUT)$/

/**
 * The route name of a URL: `#/pricing` → "pricing", `/shop/pricing` → "pricing". None without a
 * location: a document with no browsing context (one from DOMParser) has none, whatever its type says.
 */
export function routeName(location: { hash: string; pathname: string } | null): string {
  if (!location) return ''
  return decodeURIComponent(
    location.hash.replace(/^#!?\/?/, '') || (location.pathname.split('/').filter(Boolean).pop() ?? ''),
  )
}

export function createDom(doc: Document): Dom {
  const win = doc.defaultView
  const cleanups: Cleanups = []
  let lastRoute = ''
  let watchingRoutes = false

  const taps = createHandlers<[Element]>(() => {
    listen(cleanups, doc, 'click', (event: Event) => {
      if (event.target instanceof Element) taps.call(event.target)
    })
    listen(cleanups, doc, 'keydown', (event: KeyboardEvent) => {
      if ((event.key !== 'Enter' && event.key !== ' ') || event.repeat) return
      const target = event.target
      if (!(target instanceof Element) || isNativeControl(target)) return
      if (target !== doc.body && (target as HTMLElement).tabIndex >= 0) taps.call(target)
    })
  })

  const mutations = createHandlers<[]>(() => {
    if (!(globalThis as Partial<typeof globalThis>).MutationObserver) return
    const observer = new MutationObserver(() => mutations.call())
    observer.observe(doc.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['data-hl-screen', 'data-hl-bind', 'data-hl-event'],
    })
    cleanups.push(() => observer.disconnect())
  })

  const routes = createHandlers<[string]>(() => {
    if (!win) return
    watchingRoutes = true
    lastRoute = routeName(doc.location)
    const check = (): void => {
      const route = routeName(doc.location)
      if (route === lastRoute) return
      lastRoute = route
      routes.call(route)
    }
    listen(cleanups, win, 'popstate', check)
    listen(cleanups, win, 'hashchange', check)
    // pushState/replaceState fire no event; the Navigation API (Baseline since 2026) reports them.
    const navigation = (win as Window & { navigation?: EventTarget }).navigation
    if (navigation) listen(cleanups, navigation, 'navigatesuccess', check)
  })

  return {
    document: doc,
    onTap: taps.add,
    onMutate: mutations.add,
    onRoute: routes.add,
    route: () => (watchingRoutes ? lastRoute : routeName(doc.location)),
    destroy() {
      undo(cleanups)
      taps.clear()
      mutations.clear()
      routes.clear()
      watchingRoutes = false
    },
  }
}

function isNativeControl(element: Element): boolean {
  if (NATIVE.test(element.tagName)) return true
  if (element.tagName === 'A' && element.hasAttribute('href')) return true
  return (element as HTMLElement).isContentEditable
}
