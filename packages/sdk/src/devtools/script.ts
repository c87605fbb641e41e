import type { DevtoolsLoader } from './loader.ts'

type Mount = (hl: Parameters<DevtoolsLoader>[0], options?: { container?: HTMLElement }) => () => void

/**
 * The script-tag build's devtools: `hookline-devtools.js` beside `hookline.js` (same base URL), which
 * sets `window.HooklineDevtools = { mount }`.
 */
export function scriptDevtools(base: string): DevtoolsLoader {
  return async (hl) => {
    const global = window as Window & { HooklineDevtools?: { mount: Mount } }
    const src = new URL('hookline-devtools.js', base).href
    if (!global.HooklineDevtools) {
      await new Promise<void>((resolve, reject) => {
        const script = document.createElement('script')
        script.src = src
        script.async = true
        script.onload = () => resolve()
        script.onerror = () => reject(new Error(`could not load ${src}`))
        document.head.appendChild(script)
      })
    }
    if (!global.HooklineDevtools?.mount) throw new Error(`${src} set no HooklineDevtools`)
    return global.HooklineDevtools.mount(hl)
  }
}
