import { atom } from 'nanostores'
import { render } from 'preact'
import type { Hookline } from './hookline.ts'
import { startDashboardLink } from './link/link.ts'
import { Panel } from './panel.tsx'
import { isToggleShortcut } from './shortcut.ts'
import { PANEL_CSS } from './styles.ts'

export interface MountOptions {
  /**
   * Where to put the panel. By default it floats over the page's bottom right corner; given a
   * container, it is docked inside it instead.
   * @default document.body, floating
   */
  container?: HTMLElement
  /**
   * Whether the panel starts open. `hl.devtools()` means "show me", so it does.
   * @default true
   */
  open?: boolean
}

interface Mounted {
  open(): void
  unmount(): () => void
}

// One panel per SDK instance: calling `hl.devtools()` again opens the panel already there.
const mounted = new WeakMap<Hookline, Mounted>()
// One dashboard link per window, whichever panel started it.
let linked = false

/**
 * Shows the devtools panel for `hl` in a Shadow DOM, so the page's CSS cannot reach it. Alt+Shift+H
 * toggles it. Returns a function that removes it.
 * @example const unmount = mount(hl); // later: unmount()
 */
export function mount(hl: Hookline, options: MountOptions = {}): () => void {
  const existing = mounted.get(hl)
  if (existing) {
    existing.open()
    return existing.unmount()
  }
  const host = document.createElement('hookline-devtools')
  host.setAttribute('data-hookline-devtools', '')
  const root = host.attachShadow({ mode: 'open' })
  const style = document.createElement('style')
  style.textContent = PANEL_CSS
  root.append(style)
  const container = options.container
  // A script in <head> runs before <body> exists, whatever the DOM's types say.
  const body = document.body as HTMLElement | null
  ;(container ?? body ?? document.documentElement).append(host)

  const open = atom(options.open ?? true)
  const onKey = (event: KeyboardEvent) => {
    if (!isToggleShortcut(event)) return
    event.preventDefault()
    open.set(!open.get())
  }
  window.addEventListener('keydown', onKey, true)
  // In a tab the dashboard opened: the dashboard's picker and selector checks work through it.
  const stopLink = linked ? undefined : startDashboardLink()
  if (stopLink) linked = true
  // The host says whether the panel is open, so a page can make room for it (the demo's prototype does).
  const offOpen = open.subscribe((isOpen) => host.toggleAttribute('data-open', isOpen))
  render(<Panel hl={hl} open={open} docked={container !== undefined} />, root)

  let removed = false
  const unmount = () => {
    if (removed) return
    removed = true
    window.removeEventListener('keydown', onKey, true)
    offOpen()
    if (stopLink) {
      stopLink()
      linked = false
    }
    render(null, root)
    host.remove()
    mounted.delete(hl)
  }
  mounted.set(hl, { open: () => open.set(true), unmount: () => unmount })
  return unmount
}
