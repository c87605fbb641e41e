// (c) Time from `online` to the last acknowledgement for N events queued while offline, our SDK
// against a real relay (in-process, SQLite, test/helpers/relay.ts), beside the raw rate of POSTing
// the same number of events in batches of 100, one request at a time, and 4 in flight (as many as
// the SDK's sender keeps in flight), from the same browser.
//
// Each run gets a fresh browser context (an empty IndexedDB) and a fresh project (its own key, so
// neither side inherits the other's rate-limit bucket). A raw run of 2,000 events warms the relay
// first. Runs alternate SDK / raw so that a relay
// database growing over the run burdens both alike; medians are reported.
import { launchChromium } from '../../test/helpers/chromium.ts'
import { serveStatic } from '../../test/helpers/static-server.ts'
import { startTestRelay } from '../../test/helpers/relay.ts'
import { bundlePages, PAGES_DIR } from './page-bundles.ts'
import { isLoopbackUrl, withTimeout } from './bounds.ts'
import { median, ratio, table } from './table.ts'

const BATCH_SIZE = 100
/** In-flight requests of the second raw baseline (the SDK's sender allows up to four). */
const RAW_PARALLEL = 4
/** Filling the queue, or draining it, longer than this is abandoned and reported. */
const STEP_TIMEOUT_MS = 120_000

export interface DrainResult {
  events: number
  rounds: number
  sdkEventsPerSecond?: number
  rawEventsPerSecond?: number
  rawParallelEventsPerSecond?: number
  sdkMs: number[]
  rawMs: number[]
  /** The raw baseline with RAW_PARALLEL requests in flight, as many as the SDK's sender allows. */
  rawParallelMs: number[]
  failures: string[]
  escapedRequests: string[]
  /** Responses from the relay that were not 2xx during the SDK's drain (e.g. 429), by status. */
  relayErrors: Record<string, number>
  table: string
}

export async function measureDrain(options: {
  events: number
  rounds: number
  log?: (line: string) => void
}): Promise<DrainResult> {
  const log = options.log ?? (() => {})
  const pages = await bundlePages({ drain: 'drain-page.ts' })
  const server = await serveStatic({ root: PAGES_DIR, pages })
  const relay = await startTestRelay()
  const browser = await launchChromium()
  const sdkMs: number[] = []
  const rawMs: number[] = []
  const rawParallelMs: number[] = []
  const failures: string[] = []
  const escaped: string[] = []
  const relayErrors: Record<string, number> = {}

  const newPage = async () => {
    const context = await browser.newContext()
    context.on('request', (request) => {
      if (!isLoopbackUrl(request.url())) escaped.push(request.url())
    })
    const page = await context.newPage()
    await page.goto(`${server.url}/drain.html`)
    return { context, page }
  }

  const runSdk = async (): Promise<number> => {
    const { keys } = await relay.createProject({ name: 'bench drain (sdk)' })
    const { context, page } = await newPage()
    try {
      page.on('response', (response) => {
        if (response.url().startsWith(relay.url) && response.status() >= 300) {
          relayErrors[response.status()] = (relayErrors[response.status()] ?? 0) + 1
        }
      })
      await page.evaluate(([url, key]) => window.drainBench.start(url!, key!), [relay.url, keys.test])
      await context.setOffline(true)
      await withTimeout(
        page.evaluate((n) => window.drainBench.fill(n), options.events),
        STEP_TIMEOUT_MS,
        'queueing while offline',
      )
      await page.evaluate(() => {
        ;(window as any).drainTiming = window.drainBench.timeDrainFromOnline()
      })
      await context.setOffline(false)
      const ms = await withTimeout(
        page.evaluate(() => (window as any).drainTiming as Promise<number>),
        STEP_TIMEOUT_MS,
        'draining after online',
      )
      const left = await page.evaluate(() => window.drainBench.queued())
      if (left !== 0) throw new Error(`flush() resolved with ${left} events still queued`)
      return ms
    } finally {
      await context.close().catch(() => {})
    }
  }

  const runRaw = async (events = options.events, inFlight = 1): Promise<number> => {
    const { keys } = await relay.createProject({ name: 'bench drain (raw)' })
    const { context, page } = await newPage()
    try {
      return await withTimeout(
        page.evaluate(
          ([url, key, n, size, parallel]) =>
            window.drainBench.rawPost(url as string, key as string, n as number, size as number, parallel as number),
          [relay.url, keys.test, events, BATCH_SIZE, inFlight],
        ),
        STEP_TIMEOUT_MS,
        'raw POSTs',
      )
    } finally {
      await context.close().catch(() => {})
    }
  }

  try {
    // Warms the relay (JIT, SQLite pages) so that the first measured run does not pay for it.
    await runRaw(Math.min(options.events, 2_000)).catch((error: unknown) =>
      failures.push(`warm-up: ${(error as Error).message}`),
    )
    for (let round = 1; round <= options.rounds; round++) {
      const sides = [
        ['sdk', runSdk, sdkMs],
        ['raw', () => runRaw(), rawMs],
        [`raw ×${RAW_PARALLEL}`, () => runRaw(options.events, RAW_PARALLEL), rawParallelMs],
      ] as const
      for (const [side, run, into] of sides) {
        log(`  drain: round ${round}/${options.rounds}, ${side}, ${options.events} events`)
        try {
          into.push(await run())
        } catch (error) {
          const message = `round ${round} ${side}: ${(error as Error).message.split('\n')[0]}`
          log(`    failed: ${message}`)
          failures.push(message)
        }
      }
    }
  } finally {
    await browser.close().catch(() => {})
    await relay.close()
    await server.close()
  }

  const rate = (ms: number[]) => (ms.length ? options.events / (median(ms) / 1000) : undefined)
  const sdkEventsPerSecond = rate(sdkMs)
  const rawEventsPerSecond = rate(rawMs)
  const rawParallelEventsPerSecond = rate(rawParallelMs)
  const row = (name: string, ms: number[], eps: number | undefined) => [
    name,
    `${ms.length}/${options.rounds}`,
    ms.length ? `${Math.round(median(ms))} ms` : 'failed',
    eps === undefined ? 'failed' : `${Math.round(eps)}`,
    eps === undefined || rawEventsPerSecond === undefined ? '' : ratio(eps, rawEventsPerSecond),
    ms.map((value) => Math.round(value)).join(', '),
  ]
  return {
    events: options.events,
    rounds: options.rounds,
    sdkEventsPerSecond,
    rawEventsPerSecond,
    rawParallelEventsPerSecond,
    sdkMs,
    rawMs,
    rawParallelMs,
    failures,
    escapedRequests: escaped,
    relayErrors,
    table: table(
      [
        'sender',
        'runs ok',
        `time for ${options.events} events (median)`,
        'events/s',
        '× raw',
        'each run (ms, in order)',
      ],
      [
        row('@hookline/sdk: `online` → flush() resolved', sdkMs, sdkEventsPerSecond),
        row(`baseline: raw fetch, ${BATCH_SIZE}-event batches, one at a time`, rawMs, rawEventsPerSecond),
        row(
          `baseline: raw fetch, ${BATCH_SIZE}-event batches, ${RAW_PARALLEL} in flight`,
          rawParallelMs,
          rawParallelEventsPerSecond,
        ),
      ],
    ),
  }
}
