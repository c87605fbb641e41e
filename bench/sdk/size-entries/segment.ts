// @segment/analytics-next as its docs show it: load, then one track.
import { AnalyticsBrowser } from '@segment/analytics-next'

const analytics = AnalyticsBrowser.load({ writeKey: 'bench', cdnURL: 'http://127.0.0.1:8787' })
void analytics.track('checkout-completed', { total: 42 })
