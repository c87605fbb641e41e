// (b) Main-thread time per track() in headless Chromium, ours beside PostHog, Segment and Snowplow,
// beside one IndexedDB put per call (what an uncoalesced queue would pay), one IndexedDB record per
// task holding all its events (a lower bound for a durable queue's writes), and a raw durable
// sender (the same writes, sends and deletes as ours with no SDK around them: the floor for the
// whole job). As a burst of N calls in one task, or paced (one call every `paceMs`).
//
// Pages are driven over Chromium's own pipe (bare-chromium.ts), not by Playwright, whose Network
// domain would bill each request's report to the page (HOOKLINE_BENCH_INSPECTED=1 adds those rows).
// Each SDK gets a fresh browser context and a page served over HTTP from 127.0.0.1 (IndexedDB is
// refused on data: pages); all talk to the same stub API on 127.0.0.1 (stub-api.ts), so none waits
// on a network. Per round we take two figures:
//   - sync: performance.now() around N back-to-back calls — what the caller's task pays;
//   - main thread: Chromium's own TaskDuration (CDP Performance.getMetrics) from just before the
//     loop until the SDK has handed everything off (its flush() where it has one), the stub has
//     heard nothing for QUIET_MS and the tab is idle — this adds the work an SDK defers to microtasks, timers and
//     IndexedDB callbacks, which still runs on the page's main thread.
// The medians over the rounds are reported, per call, with ratios to ours from the same run.
import { launchBareChromium, type BareBrowser, type BarePage } from './bare-chromium.ts'
import { launchInspectedChromium } from './inspected-chromium.ts'
import { serveStatic } from '../../test/helpers/static-server.ts'
import { bundlePages, PAGES_DIR } from './page-bundles.ts'
import { startStubApi, type StubApi } from './stub-api.ts'
import { median, ratio, table, us } from './table.ts'
import { withTimeout } from './bounds.ts'

/** PostHog batches every 3 s; waiting a little longer lets every SDK's deferred sends happen. */
const QUIET_MS = 3_500
const WARM_UP_CALLS = 200
/** A step (page load, one round, its settling) that takes longer is abandoned and reported. */
const ROUND_TIMEOUT_MS = 240_000
/** Snowplow's localStorage queue is expected to peg the tab: give up on it sooner. */
const SNOWPLOW_DEFAULT_TIMEOUT_MS = 60_000

export interface TrackFigure {
  name: string
  call: string
  calls: number
  rounds: number
  syncUsPerCall?: number
  mainUsPerCall?: number
  note?: string
}

export interface TrackResult {
  figures: TrackFigure[]
  table: string
  escapedRequests: string[]
  browserVersion: string
  /** Sync ≤ 5 µs a call; main thread incl. deferred work ≤ 10 µs a call (issue 13's burst aim). */
  met: { under5UsSync: boolean; under10UsMainThread: boolean }
}

interface TargetSpec {
  name: string
  call: string
  fixture: string
  /** Peers run fewer rounds than ours: Segment alone spends over a minute per 10,000 calls. */
  peer: boolean
  query?: string
  timeoutMs?: number
  /** If N calls fail (time out, crash the tab), measure a tenth of them and say so. */
  fallbackToTenth?: boolean
}

const TARGETS: TargetSpec[] = [
  { name: '@hookline/sdk', call: 'hl.track', fixture: 'hookline', peer: false },
  { name: 'baseline: 1 IndexedDB put', call: 'tx + put per call', fixture: 'idb-put', peer: false },
  {
    name: 'baseline: 1 IndexedDB record per task',
    call: 'JSON.stringify, one put per task',
    fixture: 'idb-batch',
    peer: false,
  },
  {
    name: 'baseline: raw durable sender',
    call: 'records of 100 per task, fetch per 100, delete per answer',
    fixture: 'raw-sender',
    peer: false,
  },
  {
    name: '@snowplow/browser-tracker (default: localStorage queue)',
    call: 'trackSelfDescribingEvent',
    fixture: 'snowplow',
    peer: true,
    timeoutMs: SNOWPLOW_DEFAULT_TIMEOUT_MS,
    fallbackToTenth: true,
  },
  {
    name: '@snowplow/browser-tracker (in-memory queue)',
    call: 'trackSelfDescribingEvent',
    fixture: 'snowplow',
    query: '?memory',
    peer: true,
  },
  { name: 'posthog-js', call: 'posthog.capture', fixture: 'posthog', peer: true },
  { name: '@segment/analytics-next', call: 'analytics.track', fixture: 'segment', peer: true },
]

/** N back-to-back calls in one task (a burst), or one call every `paceMs` (a paced run); returns the calls' own ms. */
async function trackLoop(page: BarePage, calls: number, paceMs = 0): Promise<number> {
  if (paceMs)
    return page.evaluate(
      ([n, ms]) =>
        new Promise<number>((resolve) => {
          const target = window.benchTarget
          let i = 0
          let spent = 0
          const timer = setInterval(() => {
            const started = performance.now()
            target.track(i++)
            spent += performance.now() - started
            if (i < n) return
            clearInterval(timer)
            resolve(spent)
          }, ms)
        }),
      [calls, paceMs] as const,
    )
  return page.evaluate((n) => {
    const target = window.benchTarget
    const started = performance.now()
    for (let i = 0; i < n; i++) target.track(i)
    return performance.now() - started
  }, calls)
}

/**
 * The counter a round's main-thread figure reads: TaskDuration (the wall time of the main thread's
 * tasks) by default; HOOKLINE_BENCH_COUNTER=thread reads ThreadTime (its CPU time) instead, which a
 * machine short of cores does not inflate by descheduling the renderer mid-task.
 */
const mainThreadSeconds = (page: BarePage): Promise<number> =>
  process.env.HOOKLINE_BENCH_COUNTER === 'thread' ? page.threadSeconds() : page.taskSeconds()

/**
 * Waits for the SDK's own flush (if any), then until the stub has heard nothing for QUIET_MS and
 * the page's main thread has been nearly idle (< 5% busy) over the last second: an SDK that keeps
 * the tab busy long after the calls returned has not "settled" just because it stopped sending.
 */
async function settle(page: BarePage, stub: StubApi): Promise<void> {
  await page.evaluate(() => window.benchTarget.settle?.())
  const since = Date.now()
  let busyMark = { at: Date.now(), task: await page.taskSeconds() }
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    const now = { at: Date.now(), task: await page.taskSeconds() }
    const windowMs = now.at - busyMark.at
    if (windowMs < 1000) continue
    const busyShare = ((now.task - busyMark.task) * 1000) / windowMs
    const quietFor = now.at - Math.max(stub.stats().lastRequestAt, since)
    if (quietFor >= QUIET_MS && busyShare < 0.05) return
    busyMark = now
  }
}

async function measureTarget(
  browser: BareBrowser,
  pagesUrl: string,
  stub: StubApi,
  spec: TargetSpec,
  calls: number,
  rounds: number,
  paceMs: number,
): Promise<{ sync: number[]; main: number[]; error?: string }> {
  const timeoutMs = spec.timeoutMs ?? ROUND_TIMEOUT_MS
  const page = await withTimeout(
    browser.open(`${pagesUrl}/${spec.fixture}.html${spec.query ?? ''}`),
    timeoutMs,
    'page load',
  )
  try {
    const bounded = <T>(work: Promise<T>, what: string) =>
      withTimeout(Promise.race([work, page.crashed]), timeoutMs, what)
    await bounded(
      page.evaluate((api) => window.benchTarget.start(api), stub.url),
      'SDK start',
    )
    await bounded(trackLoop(page, WARM_UP_CALLS), 'warm-up')
    await bounded(settle(page, stub), 'warm-up settle')
    const sync: number[] = []
    const main: number[] = []
    for (let round = 0; round < rounds; round++) {
      try {
        const before = await mainThreadSeconds(page)
        const syncMs = await bounded(trackLoop(page, calls, paceMs), `round ${round + 1}`)
        await bounded(settle(page, stub), `round ${round + 1} settle`)
        const mainSeconds = (await mainThreadSeconds(page)) - before
        sync.push((syncMs * 1000) / calls)
        main.push((mainSeconds * 1e6) / calls)
      } catch (error) {
        // Rounds already completed still count; the caller says how many there were and why not more.
        if (!sync.length) throw error
        return { sync, main, error: (error as Error).message.split('\n')[0] }
      }
    }
    return { sync, main }
  } finally {
    await page.close()
  }
}

export async function measureTrack(options: {
  calls: number
  /** Rounds for ours and the IndexedDB baseline. */
  rounds: number
  /** Rounds for each peer SDK. */
  peerRounds: number
  /** Fixture names to run (all when absent), for developing with a subset. */
  only?: string[]
  /** One call every this many ms instead of a burst (0: a burst of `calls` in one task). */
  paceMs?: number
  /** Also measure each target under Playwright (the Network domain on), as a row of its own. */
  inspected?: boolean
  log?: (line: string) => void
}): Promise<TrackResult> {
  const log = options.log ?? (() => {})
  const targets = TARGETS.filter((t) => !options.only || options.only.includes(t.fixture))
  const pages = await bundlePages(Object.fromEntries(targets.map((t) => [t.fixture, `track-pages/${t.fixture}.ts`])))
  const server = await serveStatic({ root: PAGES_DIR, pages })
  const stub = await startStubApi()
  const browser = await launchBareChromium()
  const inspected = options.inspected ? await launchInspectedChromium() : undefined
  const figures: TrackFigure[] = []
  const escaped: string[] = []
  const browserVersion = browser.version
  try {
    // Rounds are interleaved (one round of each target, then the next round of each): on a shared
    // machine whose load drifts, every target sees the same stretch of it.
    const runs = targets.flatMap((spec) => [
      { spec, browser },
      ...(inspected ? [{ spec: { ...spec, name: `${spec.name}, inspected (Playwright)` }, browser: inspected }] : []),
    ])
    const states = runs.map(({ spec, browser }) => ({
      spec,
      browser,
      rounds: spec.peer ? options.peerRounds : options.rounds,
      calls: options.calls,
      note: undefined as string | undefined,
      sync: [] as number[],
      main: [] as number[],
      failures: [] as string[],
      gaveUp: false,
    }))
    const passes = Math.max(...states.map((state) => state.rounds))
    for (let pass = 0; pass < passes; pass++) {
      for (const state of states) {
        if (state.gaveUp || pass >= state.rounds) continue
        const { spec } = state
        // Snowplow's default localStorage queue can peg or crash the tab at this load; if it does,
        // we say so and measure a tenth of the calls (its in-memory queue has a row of its own).
        for (;;) {
          log(
            `  track: ${spec.name}${state.note ? ` (${state.note})` : ''}, round ${pass + 1} of ${state.rounds}, ${state.calls} calls`,
          )
          try {
            const { sync, main, error } = await measureTarget(
              state.browser,
              server.url,
              stub,
              spec,
              state.calls,
              1,
              options.paceMs ?? 0,
            )
            state.sync.push(...sync)
            state.main.push(...main)
            if (error) state.failures.push(`round ${pass + 1}: ${error}`)
            break
          } catch (error) {
            const message = `${state.note ? `${state.note}: ` : `${state.calls} calls a round: `}${(error as Error).message.split('\n')[0]}`
            log(`    failed: ${message}`)
            state.failures.push(message)
            if (!spec.fallbackToTenth || state.note || state.sync.length) {
              state.gaveUp = true
              break
            }
            state.calls = Math.ceil(options.calls / 10)
            state.note = `${state.calls} calls a round`
          }
        }
      }
    }
    for (const state of states) {
      const figure: TrackFigure = {
        name: state.spec.name,
        call: state.spec.call,
        calls: state.calls,
        rounds: state.sync.length,
      }
      if (state.sync.length) {
        figure.syncUsPerCall = median(state.sync)
        figure.mainUsPerCall = median(state.main)
      }
      if (state.note) state.failures.push(`measured with ${state.note}`)
      if (state.sync.length < state.rounds)
        state.failures.unshift(`${state.sync.length} of ${state.rounds} rounds completed`)
      if (state.failures.length) figure.note = state.failures.join('; ')
      figures.push(figure)
    }
  } finally {
    escaped.push(...browser.escaped, ...(inspected?.escaped ?? []))
    await browser.close().catch(() => {})
    await inspected?.close()
    await stub.close()
    await server.close()
  }
  const ours: Partial<TrackFigure> = figures.find((figure) => figure.name === TARGETS[0]!.name) ?? {}
  const rows = figures.map((figure) => [
    figure.name,
    figure.call,
    `${figure.rounds} × ${figure.calls}`,
    figure.syncUsPerCall === undefined ? 'failed' : us(figure.syncUsPerCall),
    figure.mainUsPerCall === undefined ? 'failed' : us(figure.mainUsPerCall),
    figure.syncUsPerCall === undefined ? '' : ratio(figure.syncUsPerCall, ours.syncUsPerCall ?? NaN),
    figure.mainUsPerCall === undefined ? '' : ratio(figure.mainUsPerCall, ours.mainUsPerCall ?? NaN),
    figure.note ?? '',
  ])
  return {
    figures,
    escapedRequests: escaped,
    browserVersion,
    table: table(
      [
        'SDK',
        'call',
        'rounds × calls',
        'sync µs/call (median)',
        'main-thread µs/call incl. deferred work (median)',
        'sync ÷ ours',
        'main-thread ÷ ours',
        'note',
      ],
      rows,
    ),
    met: {
      under5UsSync: (ours.syncUsPerCall ?? Infinity) <= 5,
      under10UsMainThread: (ours.mainUsPerCall ?? Infinity) <= 10,
    },
  }
}
