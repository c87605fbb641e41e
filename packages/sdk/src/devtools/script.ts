import { loadBeside } from '../script-chunk.ts'
import type { Hookline } from '../types.ts'
import type { DevtoolsLoader } from './loader.ts'

/**
 * The script-tag build's devtools: `hookline-devtools.js` beside `hookline.js` (same base URL), which
 * sets `window.HooklineDevtools = { mount }`. Loaded once; later calls mount from the global.
 */
export const scriptDevtools =
  (base: string): DevtoolsLoader =>
  (hl) =>
    loadBeside<{ mount: (hl: Hookline) => () => void }>(base, 'hookline-devtools.js', 'HooklineDevtools').then(
      (devtools) => devtools.mount(hl),
    )
