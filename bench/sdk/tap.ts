// (d) Tap → endpoint and tap → screen in real Chromium: our script-tag build against a real relay
// (in-process, SQLite) and a real endpoint that answers `{"status":"…"}`, which the webhook's
// `response.set` maps into the session's `orderStatus`, bound on the page with `data-hl-bind`.
// 30 taps, one every 400 ms. Beside it, in the same run, the same taps sent by a bare page: one
// `fetch` of the event to `/v1/events` per tap and its own EventSource writing the `vars` frame
// into the element — the relay's share, with no SDK.
//
// Taps are real mouse input over Chromium's own pipe (bare-chromium.ts); HOOKLINE_BENCH_INSPECTED=1
// repeats both pages under Playwright.
//
// Times: the tap is stamped by a capturing click listener on the page (before the SDK's own), the
// endpoint stamps the request when its body has arrived, the page stamps the bound element's text
// change (MutationObserver). Page and node clocks are the same machine's (timeOrigin + now).
import { newId } from '@hookline/protocol'
import { launchBareChromium, type BarePage } from './bare-chromium.ts'
import { launchInspectedChromium } from './inspected-chromium.ts'
import { startEndpoint } from '../../test/helpers/endpoint.ts'
import { startTestRelay } from '../../test/helpers/relay.ts'
import { serveStatic } from '../../test/helpers/static-server.ts'
import { withTimeout } from './bounds.ts'
import { SDK_OUT } from './paths.ts'
import { table } from './table.ts'

const TAP_EVERY_MS = 400

export interface TapFigures {
  endpoint: number[]
  screen: number[]
}

export interface TapResult {
  taps: number
  sdk: TapFigures
  raw: TapFigures
  table: string
  met: { endpoint: boolean; screen: boolean }
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}

/** The bare page: a fetch per tap, and an EventSource of its own for the frames. */
function rawPage(relay: string, key: string, session: string, token: string, ids: string[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>raw</title></head><body>
<button id=tap>tap</button> <b id=status>none</b>
<script>
const ids = ${JSON.stringify(ids)}
let n = 0
const source = new EventSource(${JSON.stringify(`${relay}/v1/stream?session=${session}&key=${key}&token=${token}`)})
source.addEventListener('open', () => (window.streamOpen = true))
source.addEventListener('vars', (e) => {
  const set = JSON.parse(e.data).set
  if ('orderStatus' in set) document.querySelector('#status').textContent = set.orderStatus
})
document.querySelector('#tap').addEventListener('click', () => {
  const event = { id: ids[n++], name: 'tap', ts: new Date().toISOString(), sessionId: ${JSON.stringify(session)} }
  fetch(${JSON.stringify(`${relay}/v1/events`)}, {
    method: 'POST',
    headers: { authorization: 'Bearer ${key}', 'content-type': 'application/json' },
    body: JSON.stringify({ sentAt: new Date().toISOString(), sessionTokens: { [${JSON.stringify(session)}]: ${JSON.stringify(token)} }, events: [event] }),
  })
})
</script></body></html>`
}

function sdkPage(relay: string, key: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>sdk</title>
<script src="/hookline.js" data-relay="${relay}" data-key="${key}" async></script></head>
<body><button id=tap data-hl-event="tap">tap</button> <b id=status data-hl-bind="orderStatus">?</b></body></html>`
}

/** Stamps each tap (capturing, so before any other listener) and each text change of #status. */
async function stamp(page: BarePage): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { taps: number[]; shown: Array<[string, number]> }
    w.taps = []
    w.shown = []
    // (No named functions in here: tsx would wrap them in a helper the page does not have.)
    document.addEventListener('click', () => w.taps.push(performance.timeOrigin + performance.now()), true)
    const element = document.querySelector('#status')!
    new MutationObserver(() => w.shown.push([element.textContent, performance.timeOrigin + performance.now()])).observe(
      element,
      {
        childList: true,
        characterData: true,
        subtree: true,
      },
    )
  })
}

async function tapRun(
  page: BarePage,
  endpoint: Awaited<ReturnType<typeof startEndpoint>>,
  taps: number,
  label: string,
): Promise<TapFigures> {
  await stamp(page)
  const before = endpoint.requests.length
  endpoint.respond((request) => ({ status: 200, body: { status: `${label}-${request.index - before}` } }))
  for (let i = 0; i < taps; i++) {
    await page.click('#tap')
    await new Promise((resolve) => setTimeout(resolve, TAP_EVERY_MS))
  }
  await endpoint.waitFor((list) => list.length >= before + taps, 20_000)
  await page.waitFor((last) => document.querySelector('#status')!.textContent === last, `${label}-${taps - 1}`, 20_000)
  const { taps: tapped, shown } = await page.evaluate(() => {
    const w = window as unknown as { taps: number[]; shown: Array<[string, number]> }
    return { taps: w.taps, shown: w.shown }
  })
  const arrived = endpoint.requests.slice(before, before + taps).map((request) => request.receivedAt)
  return {
    endpoint: arrived.map((at, i) => at - tapped[i]!),
    screen: tapped.map((at, i) => (shown.find(([text]) => text === `${label}-${i}`)?.[1] ?? NaN) - at),
  }
}

export async function measureTap(options: {
  taps: number
  /** Also tap under Playwright (the Network domain on), as rows of their own. */
  inspected?: boolean
  log?: (line: string) => void
}): Promise<TapResult> {
  const log = options.log ?? (() => {})
  const relay = await startTestRelay()
  const endpoint = await startEndpoint({ status: 200 })
  const browsers = {
    bare: await launchBareChromium(),
    ...(options.inspected && { inspected: await launchInspectedChromium() }),
  }
  try {
    const project = await relay.createProject({ name: 'tap bench' })
    const key = project.keys.test
    await relay.createWebhook(project.projectId, {
      url: `${endpoint.url}/hook`,
      retry: { maxAttempts: 1 },
      response: { set: { orderStatus: '$.status' } },
    })
    const session = newId('ses')
    // Each driver's bare page sends ids of its own: the relay would take a second run's as duplicates.
    const idsFor = () => Array.from({ length: options.taps }, () => newId('evt'))
    // The bare page's session is claimed here, as the SDK claims its own before its first event
    // (issue 10): its stream and its batches carry the token.
    const claim = await fetch(`${relay.url}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: session }),
    })
    const { token } = (await claim.json()) as { token: string }
    const site = await serveStatic({
      root: SDK_OUT,
      pages: {
        '/sdk': sdkPage(relay.url, key),
        ...Object.fromEntries(
          Object.keys(browsers).map((driver) => [`/raw-${driver}`, rawPage(relay.url, key, session, token, idsFor())]),
        ),
      },
    })
    try {
      // Raw first, then ours, each in a fresh context; each page's taps are its own session's.
      const results: Record<string, TapFigures> = {}
      for (const [driver, browser] of Object.entries(browsers))
        for (const which of ['raw', 'sdk'] as const) {
          const page = await browser.open(`${site.url}/${which === 'raw' ? `raw-${driver}` : which}`)
          await page.waitFor(
            (kind) =>
              kind === 'raw'
                ? (window as unknown as { streamOpen?: boolean }).streamOpen === true
                : (window as unknown as { hookline?: { status: { get(): { stream: string } } } }).hookline?.status.get()
                    .stream === 'open',
            which,
            20_000,
          )
          log(
            `  ${which}${driver === 'bare' ? '' : `, ${driver}`}: ${options.taps} taps, one every ${TAP_EVERY_MS} ms …`,
          )
          results[`${driver} ${which}`] = await withTimeout(
            tapRun(page, endpoint, options.taps, `${driver}-${which}`),
            120_000,
            `${which} taps`,
          )
          await page.close()
        }
      const row = (name: string, figures: TapFigures) => [
        name,
        `${percentile(figures.endpoint, 50).toFixed(1)} ms`,
        `${percentile(figures.endpoint, 95).toFixed(1)} ms`,
        `${percentile(figures.screen, 50).toFixed(1)} ms`,
        `${percentile(figures.screen, 95).toFixed(1)} ms`,
      ]
      const sdk = results['bare sdk']!
      const raw = results['bare raw']!
      const ratioRow = [
        'ours ÷ bare page',
        ...[
          [sdk.endpoint, raw.endpoint, 50],
          [sdk.endpoint, raw.endpoint, 95],
          [sdk.screen, raw.screen, 50],
          [sdk.screen, raw.screen, 95],
        ].map(
          ([a, b, p]) =>
            `${(percentile(a as number[], p as number) / percentile(b as number[], p as number)).toFixed(2)}×`,
        ),
      ]
      return {
        taps: options.taps,
        sdk,
        raw,
        table: table(
          ['', 'tap → endpoint p50', 'p95', 'tap → screen p50', 'p95'],
          [
            row('@hookline/sdk (script tag)', sdk),
            row('bare page: fetch + EventSource', raw),
            ratioRow,
            ...(results['inspected sdk']
              ? [
                  row('@hookline/sdk, inspected (Playwright)', results['inspected sdk']),
                  row('bare page, inspected (Playwright)', results['inspected raw']!),
                ]
              : []),
          ],
        ),
        met: {
          endpoint: percentile(sdk.endpoint, 50) <= 20 && percentile(sdk.endpoint, 95) <= 50,
          screen: percentile(sdk.screen, 50) <= 40 && percentile(sdk.screen, 95) <= 80,
        },
      }
    } finally {
      await site.close()
    }
  } finally {
    for (const browser of Object.values(browsers)) await browser.close()
    await endpoint.close()
    await relay.close()
  }
}
