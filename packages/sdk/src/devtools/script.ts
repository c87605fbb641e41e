import type { DevtoolsLoader } from './loader.ts'

type Global = Window & { HooklineDevtools?: { mount: (hl: Parameters<DevtoolsLoader>[0]) => () => void } }

/**
 * The script-tag build's devtools: `hookline-devtools.js` beside `hookline.js` (same base URL), which
 * sets `window.HooklineDevtools = { mount }`. Loaded once; later calls mount from the global.
 */
export function scriptDevtools(base: string): DevtoolsLoader {
  const global = window as Global
  return (hl) =>
    new Promise<void>((resolve, reject) => {
      if (global.HooklineDevtools) {
        resolve()
        return
      }
      const script = document.head.appendChild(document.createElement('script'))
      script.onload = () => resolve()
      script.onerror = () => reject(new Error(`could not load ${script.src}`))
      script.src = new URL('hookline-devtools.js', base).href
    })
      // A script that sets no global fails here with a TypeError, which `hl.devtools()` logs.
      .then(() => (global.HooklineDevtools as NonNullable<Global['HooklineDevtools']>).mount(hl))
}
