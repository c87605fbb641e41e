import type { Hookline } from '../types.ts'

/**
 * Loads and mounts the devtools panel; resolves to its unmount. The npm build imports
 * `@hookline/devtools` as a lazy chunk (`npm.ts`), the script-tag build loads
 * `hookline-devtools.js` from beside `hookline.js` (`script.ts`).
 */
export type DevtoolsLoader = (hl: Hookline) => Promise<() => void>
