// @segment/analytics-next with its defaults; its settings are given inline (instead of fetched from
// Segment's CDN) so that its API host is the stub, and its remote metrics are off (no traffic
// may leave 127.0.0.1).
import { AnalyticsBrowser } from '@segment/analytics-next'
import { EVENT_NAME, props } from './target.ts'

let analytics: AnalyticsBrowser
window.benchTarget = {
  async start(api) {
    const host = new URL(api).host
    analytics = AnalyticsBrowser.load({
      writeKey: 'bench',
      cdnURL: api,
      cdnSettings: {
        integrations: { 'Segment.io': { apiKey: 'bench', apiHost: `${host}/v1`, protocol: 'http' } },
        metrics: { sampleRate: 0, host: `${host}/v1` },
      },
    })
    await analytics.ready()
  },
  track(i) {
    void analytics.track(EVENT_NAME, props(i))
  },
}
