// Our SDK, bundled from its built ESM (the alias points '@hookline/sdk' at dist/hookline.mjs).
// The stream is off: no peer holds a connection open, and the stub API is not an SSE server.
import { createHookline } from '@hookline/sdk'
import { EVENT_NAME, props } from './target.ts'

let hl: ReturnType<typeof createHookline>
window.benchTarget = {
  start(api) {
    hl = createHookline({ relay: api, key: 'pk_test_bench', stream: false })
    return Promise.resolve()
  },
  track(i) {
    hl.track(EVENT_NAME, props(i))
  },
  settle: () => hl.flush(),
}
