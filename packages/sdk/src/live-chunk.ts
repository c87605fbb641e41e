/**
 * The script-tag build's live chunk (built as `dist/hookline-live.js`, an IIFE): `hookline.js`
 * loads it from beside itself at start (`live/script.ts`) and calls `window.HooklineLive.startLive`.
 */
import { startLive } from './live/live.ts'

;(window as Window & { HooklineLive?: { startLive: typeof startLive } }).HooklineLive = { startLive }
