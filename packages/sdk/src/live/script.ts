import { loadBeside } from '../script-chunk.ts'
import type { LiveLoader } from './loader.ts'

/** The script-tag build's live part: `hookline-live.js` beside `hookline.js`, which sets `window.HooklineLive`. */
export const scriptLive =
  (base: string): LiveLoader =>
  () =>
    loadBeside(base, 'hookline-live.js', 'HooklineLive')
