import type { BrowserContext, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from '../helpers/chromium.ts'
import { scriptTagPage, sdkReady, serveFromTest, startSdkStack, status, type SdkStack } from './sdk-harness.ts'
import { closeOpened } from '../helpers/close.ts'

type Browser = Awaited<ReturnType<typeof launchChromium>>
type Hl = { log: { get(): Array<{ kind: string; eventId?: string; name?: string }> } }

const firedIds = (page: Page, name: string) =>
  page.evaluate(
    (name) =>
      (window as unknown as { hookline: Hl }).hookline.log
        .get()
        .filter((e) => e.kind === 'fired' && e.name === name)
        .map((e) => e.eventId!),
    name,
  )

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 15_000) => {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Event ids in the bodies of the page's requests to the relay's ingest (fetch and beacon). */
function recordSends(page: Page): string[] {
  const ids: string[] = []
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().includes('/v1/events')) return
    for (const event of JSON.parse(request.postData() ?? '{"events":[]}').events) ids.push(event.id)
  })
  return ids
}

// The offline queue in real Chromium with real IndexedDB and Web Locks, against a real relay.
describe.skipIf(!hasChromium && !process.env.CI)(
  'SDK offline queue in Chromium (skipped: no /usr/bin/chromium; apt-get install -y chromium)',
  () => {
    let stack: SdkStack
    let browser: Browser
    let pages: Record<string, string>

    beforeAll(async () => {
      stack = await startSdkStack((relay, key) => {
        pages = {
          '/app': scriptTagPage(relay.url, key, `<button id=tap data-hl-event="offline-tap">Tap</button>`),
          '/beacon': scriptTagPage(relay.url, key, `<button id=tap data-hl-event="beacon-tap">Tap</button>`),
          '/elsewhere': '<!doctype html><title>elsewhere</title><p>another page</p>',
        }
        return pages
      })
      browser = await launchChromium()
    })

    afterAll(async () => {
      await closeOpened(browser, stack)
    })

    const bodiesOf = (name: string) =>
      stack.endpoint.requests.map((r) => JSON.parse(r.body)).filter((body) => body.type === name)

    it(
      'offline → ten taps → reload while offline → online: the endpoint receives each of the ten exactly once',
      { timeout: 50_000 },
      async () => {
        const context: BrowserContext = await browser.newContext()
        await serveFromTest(context, stack.site.url, pages)
        const page = await context.newPage()
        const sent = recordSends(page)
        await page.goto(`${stack.site.url}/app`)
        await sdkReady(page)

        await context.setOffline(true)
        await until(async () => !(await status(page)).online, 'the page to see it is offline')
        for (let i = 0; i < 10; i++) await page.click('#tap')
        const ids = await firedIds(page, 'offline-tap')
        expect(ids).toHaveLength(10)
        // Written to IndexedDB (a "queued" entry is logged once the write has committed).
        await page.waitForFunction(
          () =>
            (window as unknown as { hookline: Hl }).hookline.log.get().filter((e) => e.kind === 'queued').length === 10,
        )
        await new Promise((resolve) => setTimeout(resolve, 1500)) // past the 1 s batch window: still nothing sent
        expect(sent).toEqual([])

        await page.reload() // still offline: the page comes from the test, the queue from IndexedDB
        await sdkReady(page)
        await until(async () => (await status(page)).queued === 10, 'the reloaded page to load its queue')
        expect(sent).toEqual([])

        await context.setOffline(false)
        await stack.endpoint.waitFor(() => bodiesOf('offline-tap').length >= 10, 20_000)
        await until(async () => (await status(page)).queued === 0, 'the queue to empty')
        await new Promise((resolve) => setTimeout(resolve, 1000))
        const delivered = bodiesOf('offline-tap').map((body) => body.id)
        expect(delivered.sort()).toEqual([...ids].sort())
        expect(new Set(sent).size).toBe(10)
        await context.close()
      },
    )

    it(
      'leaving the page hands the queue to sendBeacon; the event stays queued until a later acknowledgement',
      { timeout: 50_000 },
      async () => {
        const context = await browser.newContext()
        const page = await context.newPage()
        // Remember what goes to sendBeacon in sessionStorage, which outlives the page (same origin).
        await context.addInitScript(() => {
          const send = navigator.sendBeacon.bind(navigator)
          navigator.sendBeacon = (url, data) => {
            sessionStorage.setItem(
              'beacons',
              (sessionStorage.getItem('beacons') ?? '') +
                `${url} ${typeof data === 'string' ? data : '(a body that is not text)'}\n`,
            )
            return send(url, data)
          }
        })
        await page.goto(`${stack.site.url}/beacon`)
        await sdkReady(page)
        await until(async () => (await status(page)).sender, 'the sending tab')
        // The event's own request (sent at once) gets no answer before the page is left, so only
        // the beacon can carry it.
        const held: Route[] = []
        const hold = (route: Route) =>
          route.request().resourceType() === 'fetch' ? void held.push(route) : route.continue()
        const events = (url: URL) => url.pathname === '/v1/events'
        await context.route(events, hold)
        await page.click('#tap')
        const [id] = await firedIds(page, 'beacon-tap')
        await page.waitForFunction(() =>
          (window as unknown as { hookline: Hl }).hookline.log.get().some((e) => e.kind === 'sent'),
        )
        await page.goto(`${stack.site.url}/elsewhere`)
        await context.unroute(events, hold)
        for (const route of held) await route.abort().catch(() => {})
        await stack.endpoint.waitFor(() => bodiesOf('beacon-tap').length >= 1, 15_000)
        const beacons = await page.evaluate(() => sessionStorage.getItem('beacons') ?? '')
        expect(beacons).toContain('/v1/events?key=pk_test_')
        expect(beacons).toContain(id!)

        // Back on the page: the event was still queued (no answer reaches a beacon); it goes again and
        // comes back as a duplicate, so the endpoint still has it once.
        const sent = recordSends(page)
        await page.goto(`${stack.site.url}/beacon`)
        await sdkReady(page)
        await until(() => sent.includes(id!), 'the queued event to be sent again')
        await until(async () => (await status(page)).queued === 0, 'the queue to empty')
        await new Promise((resolve) => setTimeout(resolve, 500))
        expect(bodiesOf('beacon-tap').map((body) => body.id)).toEqual([id])
        await context.close()
      },
    )

    it(
      'two tabs on one queue: one sending tab, no event sent twice, and the other takes over when it closes',
      { timeout: 50_000 },
      async () => {
        const context = await browser.newContext()
        const [first, second] = [await context.newPage(), await context.newPage()]
        const sentBy = [recordSends(first), recordSends(second)]
        await first.goto(`${stack.site.url}/app`)
        await second.goto(`${stack.site.url}/app`)
        await Promise.all([sdkReady(first), sdkReady(second)])
        await until(async () => (await status(first)).sender || (await status(second)).sender, 'a sending tab')
        const leaders = [(await status(first)).sender, (await status(second)).sender]
        expect(leaders.filter(Boolean)).toHaveLength(1)
        const [leader, follower] = leaders[0] ? [first, second] : [second, first]
        const leaderSent = leaders[0] ? sentBy[0]! : sentBy[1]!
        const followerSent = leaders[0] ? sentBy[1]! : sentBy[0]!

        const before = bodiesOf('offline-tap').length
        for (let i = 0; i < 5; i++) {
          await first.click('#tap')
          await second.click('#tap')
        }
        const ids = [...(await firedIds(first, 'offline-tap')), ...(await firedIds(second, 'offline-tap'))]
        expect(ids).toHaveLength(10)
        await stack.endpoint.waitFor(() => bodiesOf('offline-tap').length >= before + 10, 20_000)
        await until(
          async () => (await status(first)).queued === 0 && (await status(second)).queued === 0,
          'both tabs to see every event acknowledged',
        )
        await new Promise((resolve) => setTimeout(resolve, 1000))
        expect(
          bodiesOf('offline-tap')
            .slice(before)
            .map((b) => b.id)
            .sort(),
        ).toEqual([...ids].sort())
        expect(followerSent).toEqual([]) // only the sending tab talks to the relay…
        expect([...leaderSent].sort()).toEqual([...ids].sort()) // …and it sent each event once

        await leader.close()
        await until(async () => (await status(follower)).sender, 'the other tab to become the sending tab')
        await follower.click('#tap')
        await stack.endpoint.waitFor(() => bodiesOf('offline-tap').length >= before + 11, 15_000)
        await context.close()
      },
    )
  },
)
