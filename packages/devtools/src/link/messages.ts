/**
 * The messages between the dashboard and a prototype it opened: `window.postMessage` between the
 * two windows, same origin only, each marked with `link: 'hookline'`. The dashboard asks, the
 * prototype answers (and says "hello" on load, so a reloaded dashboard finds it again).
 */
export const LINK = 'hookline'

/** A BroadcastChannel a dashboard rings on load: prototypes it opened answer its opener with hello. */
export const DOORBELL = 'hookline-link'

export type ToPrototype =
  | { link: typeof LINK; type: 'pick' }
  | { link: typeof LINK; type: 'cancel-pick' }
  | { link: typeof LINK; type: 'count'; id: number; selector: string }
  | { link: typeof LINK; type: 'reload' }

export type ToDashboard =
  | { link: typeof LINK; type: 'hello' }
  | { link: typeof LINK; type: 'picked'; selector: string; matches: number }
  | { link: typeof LINK; type: 'pick-cancelled' }
  /** `matches` is null when the selector is not valid CSS. */
  | { link: typeof LINK; type: 'counted'; id: number; selector: string; matches: number | null }

/** A message without its `link` mark, kept apart per kind (a plain Omit would merge the union). */
export type Unmarked<T> = T extends unknown ? Omit<T, 'link'> : never

/** True for a link message of either side (the type is checked by its receiver). */
export function isLinkMessage(data: unknown): data is { link: typeof LINK; type: string } {
  return typeof data === 'object' && data !== null && (data as { link?: unknown }).link === LINK
}

/** How many elements `selector` matches in `root`; null when it is not a valid selector. */
export function countMatches(root: ParentNode, selector: string): number | null {
  try {
    return root.querySelectorAll(selector).length
  } catch {
    return null
  }
}
