// @rudderstack/analytics-js (its default entry) as its docs show it: load, then one track.
import { RudderAnalytics } from '@rudderstack/analytics-js'

const analytics = new RudderAnalytics()
analytics.load('bench', 'http://127.0.0.1:8787')
analytics.track('checkout-completed', { total: 42 })
