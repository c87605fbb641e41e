// Where our main-thread time per track() goes: one extra round of our SDK (bundled from its
// sources, unminified, names kept) under Chromium's sampling profiler, from the first call until
// flush() resolves. Not a figure to compare (the profiler slows the page), a pointer for the SDK:
// the self time of the top functions, native ones included (IndexedDB put/delete, fetch,
// postMessage, garbage collection), per call.
import { launchChromium } from '../../test/helpers/chromium.ts'
import { serveStatic } from '../../test/helpers/static-server.ts'
import { bundlePages, READABLE_PAGES_DIR } from './page-bundles.ts'
import { startStubApi } from './stub-api.ts'
import { withTimeout } from './bounds.ts'
import { table, us } from './table.ts'

const TOP = 12
const TIMEOUT_MS = 120_000

export interface ProfileResult {
  calls: number
  table: string
  /** Share of busy time in frames with no script behind them: the browser's own work (fetch, IndexedDB, GC, "(program)"). */
  nativeShare: number
}

export async function profileOurTrack(calls: number): Promise<ProfileResult> {
  const pages = await bundlePages({ hookline: 'track-pages/hookline.ts' }, true)
  const server = await serveStatic({ root: READABLE_PAGES_DIR, pages })
  const stub = await startStubApi()
  const browser = await launchChromium()
  try {
    const context = await browser.newContext()
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await page.goto(`${server.url}/hookline.html`)
    await withTimeout(
      page.evaluate((api) => window.benchTarget.start(api), stub.url),
      TIMEOUT_MS,
      'SDK start',
    )
    await withTimeout(
      page.evaluate(async () => {
        for (let i = 0; i < 200; i++) window.benchTarget.track(i)
        await window.benchTarget.settle?.()
      }),
      TIMEOUT_MS,
      'the warm-up',
    )
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
    await cdp.send('Profiler.start')
    await withTimeout(
      page.evaluate(async (n) => {
        for (let i = 0; i < n; i++) window.benchTarget.track(i)
        await window.benchTarget.settle?.()
      }, calls),
      TIMEOUT_MS,
      'the profiled round',
    )
    const { profile } = await cdp.send('Profiler.stop')
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
    const selfUs = new Map<string, number>()
    let nativeUs = 0
    const samples = profile.samples ?? []
    const deltas = profile.timeDeltas ?? []
    for (let i = 0; i < samples.length; i++) {
      const frame = nodes.get(samples[i]!)!.callFrame
      if (frame.functionName === '(idle)') continue
      const file = frame.url ? ` (${frame.url.split('/').pop()}:${frame.lineNumber + 1})` : ''
      const key = `${frame.functionName || '(anonymous)'}${file}`
      if (!frame.url) nativeUs += deltas[i] ?? 0
      selfUs.set(key, (selfUs.get(key) ?? 0) + (deltas[i] ?? 0))
    }
    const busyUs = [...selfUs.values()].reduce((a, b) => a + b, 0)
    const top = [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, TOP)
    return {
      calls,
      nativeShare: busyUs ? nativeUs / busyUs : 0,
      table: table(
        ['function (self time)', 'µs per call', 'share of busy time'],
        [
          ...top.map(([name, time]) => [
            name.replace(/\|/g, '\\|'),
            us(time / calls),
            `${Math.round((time / busyUs) * 100)}%`,
          ]),
          ['all busy time', us(busyUs / calls), '100%'],
        ],
      ),
    }
  } finally {
    await browser.close().catch(() => {})
    await stub.close()
    await server.close()
  }
}
