// posthog-js as its docs show it: init, then one capture.
import posthog from 'posthog-js'

posthog.init('phc_bench', { api_host: 'http://127.0.0.1:8787' })
posthog.capture('checkout-completed', { total: 42 })
