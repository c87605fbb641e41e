import type { Hookline } from './hookline.ts'
import { mount } from './mount.tsx'

const WAIT_MS = 20_000
const POLL_MS = 100

/**
 * `<script src="hookline-devtools.js" data-mount>` mounts the panel on the page's `window.hookline`
 * without any code: a prototype gets its event log from a script tag. `data-mount="closed"` starts
 * it as the small launcher. Both scripts load async, so this waits for the SDK to be ready.
 */
export function autoMount(script: HTMLOrSVGScriptElement | null): void {
  if (!(script instanceof HTMLScriptElement) || !script.hasAttribute('data-mount')) return
  const open = script.getAttribute('data-mount') !== 'closed'
  const started = Date.now()
  const attempt = () => {
    const hl = (window as Window & { hookline?: Partial<Hookline> }).hookline
    // An async script may run before <body> exists (the DOM's types say it always does); the panel
    // goes into the body.
    const body = document.body as HTMLElement | null
    if (hl?.log && hl.status && hl.vars && body) {
      mount(hl as Hookline, { open })
      return
    }
    if (Date.now() - started > WAIT_MS) {
      console.warn('[hookline devtools] data-mount: window.hookline did not start; is hookline.js on the page?')
      return
    }
    setTimeout(attempt, POLL_MS)
  }
  attempt()
}
