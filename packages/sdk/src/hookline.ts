import { create } from './create.ts'
import { importDevtools } from './devtools/npm.ts'
import { importLive } from './live/npm.ts'
import { messageText } from './messages.ts'
import type { HooklineOptions } from './options.ts'
import type { Hookline } from './types.ts'

/**
 * Starts Hookline in this page: the offline queue, triggers, variables and the live stream.
 * Throws `HooklineOptionsError` for a bad option; nothing after that throws into the page.
 * @example
 * const hl = createHookline({ relay: 'http://127.0.0.1:8787', key: 'pk_test_…' })
 * hl.on('add-to-cart', { tap: '#add', optimistic: { cartCount: 1 } })
 * hl.track('checkout-completed', { total: 42 })
 */
export function createHookline(options: HooklineOptions): Hookline {
  return create(options, importDevtools, importLive, messageText)
}
