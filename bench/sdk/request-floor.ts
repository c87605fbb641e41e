// What one request costs the page's main thread in this browser, with no SDK around it: the floor
// under the paced track() figure, where each event is sent alone. A page on its own origin ticks
// every 50 ms and, per tick, sends one ~400-byte event to the stub API the SDK benches use, each
// way a page can; the timer-only row is what the tick itself costs. Both of Chromium's counters are
// read: TaskDuration (wall time of the main thread's tasks, what the track() figures report) and
// ThreadTime (its CPU time, which a busy 2-core machine does not inflate by descheduling it).
//
//   npx tsx bench/sdk/request-floor.ts        (HOOKLINE_BENCH_ROUNDS, default 3; 200 ticks a round)
import { serveStatic } from '../../test/helpers/static-server.ts'
import { launchBareChromium } from './bare-chromium.ts'
import { describeMachine } from './machine.ts'
import { startStubApi } from './stub-api.ts'
import { median, table, us } from './table.ts'

const WAYS = {
  'timer only': 'the 50 ms tick, nothing sent',
  'fetch, as ours': 'POST, JSON, bearer key, AbortSignal.timeout, answer parsed',
  'fetch, simple request': 'POST, text/plain, no custom header, answer parsed',
  XMLHttpRequest: 'POST, JSON, bearer key, answer parsed',
  sendBeacon: 'no answer to read',
} as const
type Way = keyof typeof WAYS

const TICKS = 200
const ROUNDS = Number(process.env.HOOKLINE_BENCH_ROUNDS ?? 3)

/** Runs in the page: `ticks` ticks 50 ms apart, each sending one event `way`; resolves 300 ms after the last. */
function tick({ api, body, way, ticks }: { api: string; body: string; way: Way; ticks: number }): Promise<void> {
  const url = `${api}/v1/events?key=pk_test_bench`
  const json = { authorization: 'Bearer pk_test_bench', 'content-type': 'application/json' }
  return new Promise((resolve) => {
    let sent = 0
    const timer = setInterval(() => {
      if (sent++ === ticks) {
        clearInterval(timer)
        setTimeout(resolve, 300)
      } else {
        // Inline, not a named function: tsx wraps named functions with a helper the page lacks.
        switch (way) {
          case 'fetch, as ours':
            void fetch(url, { method: 'POST', body, headers: json, signal: AbortSignal.timeout(15_000) }).then((r) =>
              r.json(),
            )
            break
          case 'fetch, simple request':
            void fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' } }).then((r) => r.json())
            break
          case 'XMLHttpRequest': {
            const request = new XMLHttpRequest()
            request.open('POST', url)
            for (const [name, value] of Object.entries(json)) request.setRequestHeader(name, value)
            request.addEventListener('load', () => JSON.parse(request.responseText) as unknown)
            request.send(body)
            break
          }
          case 'sendBeacon':
            navigator.sendBeacon(url, body)
        }
      }
    }, 50)
  })
}

const stub = await startStubApi()
const pages = await serveStatic({ pages: { '/': '<!doctype html><title>floor</title>' } })
const pageUrl = `${pages.url}/`
const browser = await launchBareChromium()
const body = JSON.stringify({
  sentAt: new Date().toISOString(),
  events: [{ id: 'evt_bench_1', name: 'checkout_tapped', sessionId: 'ses_bench', props: { note: 'x'.repeat(300) } }],
})
const readings = new Map<Way, { task: number[]; thread: number[] }>()
try {
  for (let round = 1; round <= ROUNDS; round++)
    for (const way of Object.keys(WAYS) as Way[]) {
      console.error(`  ${way}, round ${round} of ${ROUNDS} …`)
      const page = await browser.open(pageUrl)
      // One request first, so that the CORS preflight (cached 600 s) and the connection are not counted.
      await page.evaluate(tick, { api: stub.url, body, way: 'fetch, as ours', ticks: 1 })
      const [task, thread] = [await page.taskSeconds(), await page.threadSeconds()]
      await page.evaluate(tick, { api: stub.url, body, way, ticks: TICKS })
      const reading = readings.get(way) ?? { task: [], thread: [] }
      reading.task.push((((await page.taskSeconds()) - task) / TICKS) * 1e6)
      reading.thread.push((((await page.threadSeconds()) - thread) / TICKS) * 1e6)
      readings.set(way, reading)
      await page.close()
    }
  if (browser.escaped.length) throw new Error(`requests left 127.0.0.1: ${browser.escaped.join(', ')}`)
  const timer = readings.get('timer only')!
  const rows = [...readings].map(([way, { task, thread }]) => [
    way,
    WAYS[way],
    us(median(task)),
    us(median(thread)),
    way === 'timer only' ? '' : us(median(thread) - median(timer.thread)),
  ])
  console.log(`${describeMachine(browser.version)}; ${ROUNDS} rounds × ${TICKS} ticks, medians\n`)
  console.log(
    table(['way', 'what it does', 'TaskDuration per tick', 'ThreadTime per tick', 'ThreadTime above the timer'], rows),
  )
} finally {
  await browser.close()
  await stub.close()
  await pages.close()
}
