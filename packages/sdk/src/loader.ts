/**
 * The loader stub (built as `dist/loader.js`, well under 1 KB): defines `window.hookline` at once so
 * calls made before the SDK arrives are buffered (`flush()` and `devtools()` return promises that
 * settle once it has), then loads `hookline.js` (from `data-src`, else beside this file) with the
 * same `data-relay`, `data-key` and `data-debug`.
 * @example <script src="/loader.js" data-relay="http://127.0.0.1:8787" data-key="pk_test_…"></script>
 */
const w = window as Window & { hookline?: Record<string, unknown> }
const d = document
const me = d.currentScript as HTMLScriptElement | null
if (!w.hookline) {
  const q: unknown[] = []
  const stub: Record<string, unknown> = { q }
  for (const method of ['track', 'on', 'identify', 'flush', 'devtools', 'destroy']) {
    stub[method] = (...args: unknown[]) => {
      if (method === 'flush' || method === 'devtools') return new Promise((resolve) => q.push([method, args, resolve]))
      q.push([method, args])
      return method === 'on' ? () => {} : undefined
    }
  }
  w.hookline = stub
  const tag = d.createElement('script')
  tag.async = true
  tag.src = me?.dataset.src || new URL('hookline.js', me?.src || location.href).href
  for (const name of ['relay', 'key', 'debug']) {
    const value = me?.dataset[name]
    if (value !== undefined) tag.dataset[name] = value
  }
  d.head.appendChild(tag)
}
