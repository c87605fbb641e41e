import type { LiveLoader } from './loader.ts'

/** The npm build's live part: a dynamic import, which the app's bundler splits into a chunk of its own. */
export const importLive: LiveLoader = () => import('./live.ts')
