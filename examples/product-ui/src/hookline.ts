import { createHookline } from '@hookline/sdk'

// The relay and the publishable key come from the page's query (?relay=…&key=…), so one build
// runs against any relay; a real app would read them from its environment (import.meta.env).
const params = new URLSearchParams(location.search)

export const hl = createHookline({
  relay: params.get('relay') ?? 'http://127.0.0.1:8787',
  key: params.get('key') ?? 'pk_test_replace_me',
})

// A tap trigger: every click on #add becomes an "add-to-cart" event.
hl.on('add-to-cart', { tap: '#add', props: { sku: 'A1' } })
