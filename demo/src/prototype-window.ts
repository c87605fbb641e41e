/** The prototype's address; `#product` is its first screen. */
export const PROTOTYPE_URL = '/prototype/#product'
const NAME = 'hookline-prototype'

// The prototype tab this dashboard opened, so saving the config can reload it: the SDK reads the
// config when it starts, and a designer should see the change without switching tabs to reload.
let opened: Window | null = null

/** Click handler for links to the prototype: opens (or refocuses) its tab and remembers it. */
export function openPrototype(event: MouseEvent): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  opened = window.open(PROTOTYPE_URL, NAME)
  opened?.focus()
}

/** Reloads the prototype tab opened from here; false when there is none (any more). */
export function reloadPrototype(): boolean {
  if (!opened || opened.closed) return false
  opened.location.reload()
  return true
}
