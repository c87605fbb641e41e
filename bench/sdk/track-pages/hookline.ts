// Our SDK, bundled from its built ESM (the alias points '@hookline/sdk' at dist/hookline.mjs).
// The stream is off: no peer holds a connection open, and the stub API is not an SSE server.
import { createHookline } from '@hookline/sdk'
import { EVENT_NAME, props } from './target.ts'

let hl: ReturnType<typeof createHookline>
window.benchTarget = {
  async start(api) {
    hl = createHookline({ relay: api, key: 'pk_test_bench', stream: false })
  },
  track(i) {
    hl.track(EVENT_NAME, props(i))
  },
  settle: () => hl.flush(),
}
