/**
 * The script-tag entry (built as `dist/hookline.js`, an IIFE): reads `data-relay` and `data-key`
 * from its own `<script>` tag, starts Hookline with the HTML attributes and the project config
 * wired, sets `window.hookline`, and replays calls the loader stub buffered before it loaded.
 * `window.Hookline.createHookline` starts further instances with options.
 */
import { create } from './create.ts'
import { scriptDevtools } from './devtools/script.ts'
import { scriptLive } from './live/script.ts'
import { describeByCode } from './message-code.ts'
import type { HooklineOptions } from './options.ts'
import type { Hookline } from './types.ts'

type Call = [method: string, args: unknown[], resolve?: (value: unknown) => void]
type Global = Window & {
  hookline?: Hookline | { q?: Call[] }
  Hookline?: { createHookline(options: HooklineOptions): Hookline }
}

const global = window as Global
const script = (document.currentScript ??
  document.querySelector('script[data-key][src*="hookline"]')) as HTMLScriptElement | null
const base = script?.src || location.href
const createHookline = (options: HooklineOptions): Hookline =>
  create(options, scriptDevtools(base), scriptLive(base), describeByCode)
global.Hookline = { createHookline }

const existing = global.hookline
if (existing && !('q' in existing)) {
  // Loaded twice: keep the first instance (its listeners are already wired).
} else {
  const data = script?.dataset ?? {}
  if (!data.relay || !data.key) {
    console.warn(`[hookline] ${describeByCode('HL01', [])}`)
  } else {
    try {
      const hl = createHookline({
        relay: data.relay,
        key: data.key,
        debug: data.debug !== undefined && data.debug !== 'false',
      })
      global.hookline = hl
      for (const [method, args, resolve] of existing?.q ?? []) {
        const result = (hl as unknown as Record<string, (...a: unknown[]) => unknown>)[method]?.(...args)
        resolve?.(result)
      }
    } catch (error) {
      console.error('[hookline]', error)
    }
  }
}
