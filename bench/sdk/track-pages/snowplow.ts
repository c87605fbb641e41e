// @snowplow/browser-tracker with its defaults (a localStorage-backed queue), collector at the stub.
// `?memory` in the page URL switches to its in-memory queue (a row of its own: the default queue
// can peg or crash the tab at 10,000 calls).
import { newTracker, trackSelfDescribingEvent } from '@snowplow/browser-tracker'
import { EVENT_NAME, props } from './target.ts'

window.benchTarget = {
  start(api) {
    const inMemory = new URLSearchParams(location.search).has('memory')
    newTracker('sp', api, { appId: 'bench', ...(inMemory ? { useLocalStorage: false } : {}) })
    return Promise.resolve()
  },
  track(i) {
    trackSelfDescribingEvent({
      event: { schema: `iglu:com.hookline/${EVENT_NAME.replace('-', '_')}/jsonschema/1-0-0`, data: props(i) },
    })
  },
}
