// What an npm user of our SDK ships: create the client, send one event.
import { createHookline } from '@hookline/sdk'

const hl = createHookline({ relay: 'http://127.0.0.1:8787', key: 'pk_test_bench' })
hl.track('checkout-completed', { total: 42 })
