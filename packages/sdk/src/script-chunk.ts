/**
 * Loads one of the script-tag build's chunks: `file` beside `hookline.js` (`base`, the SDK's own
 * URL), a plain script that sets `window[name]`; resolves to that global. A chunk already there is
 * not loaded again; one that failed is tried again on the next call.
 */
export function loadBeside<T>(base: string, file: string, name: string): Promise<T> {
  const global = window as unknown as Record<string, T | undefined>
  return new Promise<void>((resolve, reject) => {
    if (global[name]) {
      resolve()
      return
    }
    const script = document.head.appendChild(document.createElement('script'))
    script.onload = () => resolve()
    script.onerror = () => reject(new Error(`could not load ${script.src}`))
    script.src = new URL(file, base).href
  }).then(() => global[name] ?? Promise.reject(new Error(`${file} set no window.${name}`)))
}
