// @snowplow/browser-tracker as its docs show it: newTracker, then one self-describing event.
import { newTracker, trackSelfDescribingEvent } from '@snowplow/browser-tracker'

newTracker('sp', 'http://127.0.0.1:8787', { appId: 'bench' })
trackSelfDescribingEvent({
  event: { schema: 'iglu:com.hookline/checkout_completed/jsonschema/1-0-0', data: { total: 42 } },
})
