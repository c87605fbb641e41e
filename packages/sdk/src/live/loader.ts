import type { startLive } from './live.ts'

/**
 * Loads the live chunk (`live.ts`: the stream, its frames and the project config). The npm build
 * imports it as a lazy chunk (`npm.ts`), the script-tag build loads `hookline-live.js` from beside
 * `hookline.js` (`script.ts`), as the devtools are loaded.
 */
export type LiveLoader = () => Promise<{ startLive: typeof startLive }>
