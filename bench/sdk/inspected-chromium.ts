// The same pages driven by Playwright, which keeps the Network domain on: what the main-thread
// figures were before bare-chromium.ts, kept as a row beside them (HOOKLINE_BENCH_INSPECTED=1) so
// that the inspector's own cost is measured, in the same run, rather than asserted.
import { launchChromium } from '../../test/helpers/chromium.ts'
import { isLoopbackUrl } from './bounds.ts'
import type { BareBrowser } from './bare-chromium.ts'

export async function launchInspectedChromium(): Promise<BareBrowser> {
  const browser = await launchChromium()
  const escaped: string[] = []
  return {
    version: browser.version(),
    escaped,
    async open(url) {
      const context = await browser.newContext()
      context.on('request', (request) => {
        if (!isLoopbackUrl(request.url())) escaped.push(request.url())
      })
      const page = await context.newPage()
      const crashed = new Promise<never>((_, reject) => page.on('crash', () => reject(new Error('the tab crashed'))))
      crashed.catch(() => {})
      const cdp = await context.newCDPSession(page)
      await cdp.send('Performance.enable')
      const metric = async (name: string): Promise<number> => {
        const { metrics } = await cdp.send('Performance.getMetrics')
        return metrics.find((entry) => entry.name === name)?.value ?? 0
      }
      await page.goto(url)
      return {
        crashed,
        evaluate: (fn, arg) => page.evaluate(fn, arg as never) as never,
        waitFor: async (fn, arg, timeout) => {
          await page.waitForFunction(fn as never, arg, { timeout })
        },
        click: (selector) => page.click(selector),
        taskSeconds: () => metric('TaskDuration'),
        threadSeconds: () => metric('ThreadTime'),
        close: () => context.close().catch(() => {}),
      }
    },
    close: () => browser.close().catch(() => {}),
  }
}
