import { atom } from 'nanostores'

export type Section = 'events' | 'webhooks' | 'listeners' | 'log' | 'monitoring'

export interface Route {
  section: Section
  /** A webhook or listener id, when one is open. */
  id?: string
}

const SECTIONS: readonly Section[] = ['events', 'webhooks', 'listeners', 'log', 'monitoring']

/** `#/webhooks/wh_…` → { section: 'webhooks', id: 'wh_…' }; anything unknown is the events page. */
export function parseRoute(hash: string): Route {
  const [section, id] = hash.replace(/^#\/?/, '').split('/')
  const known = SECTIONS.find((name) => name === section) ?? 'events'
  return id ? { section: known, id: decodeURIComponent(id) } : { section: known }
}

export function href(section: Section, id?: string): string {
  return `#/${section}${id ? `/${encodeURIComponent(id)}` : ''}`
}

/** The page shown, following the address bar's hash so links, back and reload all work. */
export const route = atom<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash))

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => route.set(parseRoute(location.hash)))
}
