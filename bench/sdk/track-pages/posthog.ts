// posthog-js with its defaults, its API host pointed at the stub. Its bot filter would drop every
// event from an automated (navigator.webdriver) Chromium and make capture look free, so it is off,
// as PostHog's own docs advise for end-to-end tests.
import posthog from 'posthog-js'
import { EVENT_NAME, props } from './target.ts'

window.benchTarget = {
  start: (api) =>
    new Promise<void>((resolve) => {
      posthog.init('phc_bench', { api_host: api, opt_out_useragent_filter: true, loaded: () => resolve() })
    }),
  track(i) {
    posthog.capture(EVENT_NAME, props(i))
  },
}
