import type { DevtoolsLoader } from './core.ts'

/** The npm build's devtools: a lazy chunk, `@hookline/devtools`, imported on the first `hl.devtools()`. */
export const importDevtools: DevtoolsLoader = async (hl) => {
  const { mount } = await import('@hookline/devtools')
  return mount(hl)
}

/**
 * The script-tag build's devtools: `hookline-devtools.js` beside `hookline.js` (same base URL), which
 * sets `window.HooklineDevtools = { mount }`.
 */
export function scriptDevtools(base: string): DevtoolsLoader {
  return async (hl) => {
    const global = window as Window & { HooklineDevtools?: { mount: typeof import('@hookline/devtools').mount } }
    if (!global.HooklineDevtools) {
      await new Promise<void>((resolve, reject) => {
        const script = document.createElement('script')
        script.src = new URL('hookline-devtools.js', base).href
        script.async = true
        script.onload = () => resolve()
        script.onerror = () => reject(new Error(`could not load ${script.src}`))
        document.head.appendChild(script)
      })
    }
    if (!global.HooklineDevtools?.mount) throw new Error('hookline-devtools.js did not set window.HooklineDevtools')
    return global.HooklineDevtools.mount(hl)
  }
}
