import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from '../helpers/chromium.ts'
import { scriptTagPage, sdkReady, startSdkStack, type SdkStack } from './sdk-harness.ts'
import { closeOpened } from '../helpers/close.ts'

type Browser = Awaited<ReturnType<typeof launchChromium>>
type Hl = {
  sessionId: string
  log: { get(): Array<{ kind: string; [k: string]: unknown }> }
  vars: { get(): Record<string, unknown> }
  flush(): Promise<void>
}

const LONG_SCREEN = 'x'.repeat(250) // the relay rejects a screen name over 200 characters

// The script-tag build (dist/hookline.js) in real Chromium, on pages wired only with HTML attributes,
// against a real relay and a real recording endpoint.
describe.skipIf(!hasChromium && !process.env.CI)(
  'SDK script tag in Chromium (skipped: no /usr/bin/chromium; apt-get install -y chromium)',
  () => {
    let stack: SdkStack
    let browser: Browser

    beforeAll(async () => {
      stack = await startSdkStack((relay, key) => ({
        '/shop': scriptTagPage(
          relay.url,
          key,
          `<section data-hl-screen="shop">
           <button id=add data-hl-event="add-to-cart" data-hl-props='{"sku":"A1"}'>Add</button>
           <button id=pro data-hl-set="plan=pro">Pro</button>
           <p>Plan: <span id=plan data-hl-bind="plan"></span></p>
           <p>Order: <span id=order data-hl-bind="orderStatus"></span></p>
         </section>`,
        ),
        '/rejected': scriptTagPage(
          relay.url,
          key,
          `<section data-hl-screen="${LONG_SCREEN}">
           <button id=pay data-hl-event="checkout-completed">Pay</button>
           <span id=order data-hl-bind="orderStatus"></span>
         </section>`,
        ),
        '/failing': scriptTagPage(
          relay.url,
          key,
          `<button id=place data-hl-event="order-placed">Place</button><span id=order data-hl-bind="orderStatus"></span>`,
        ),
        '/elsewhere': '<!doctype html><title>elsewhere</title>',
        '/loader': scriptTagPage(
          relay.url,
          key,
          `<script>hookline.track('loader-early', { n: 1 })</script>`,
          'loader.js',
        ).replace(' async>', '>'),
      }))
      await stack.relay.admin('PUT', `/v1/projects/${stack.project.projectId}/config`, {
        events: [
          { name: 'checkout-completed', optimistic: { orderStatus: 'pending' } },
          { name: 'order-placed', optimistic: { orderStatus: 'placing' } },
        ],
        variables: { orderStatus: 'none', plan: 'free' },
      })
      browser = await launchChromium()
    })

    afterAll(async () => {
      await closeOpened(browser, stack)
    })

    it('a tap on a data-hl-event element reaches the endpoint as a signed Standard Webhook', async () => {
      const page = await browser.newPage()
      await page.goto(`${stack.site.url}/shop`)
      await sdkReady(page)
      await page.waitForFunction(() => document.querySelector('#plan')!.textContent === 'free') // config defaults arrived
      const sessionId = await page.evaluate(() => (window as unknown as { hookline: Hl }).hookline.sessionId)
      const before = stack.endpoint.requests.length
      await page.click('#add')
      const [request] = (await stack.endpoint.waitFor((list) => list.length > before, 15_000)).slice(before)
      const verified = new Webhook(stack.secret).verify(request!.body, request!.headers) as Record<string, any>
      expect(verified).toMatchObject({
        type: 'add-to-cart',
        data: { sku: 'A1' },
        session: { id: sessionId, screen: 'shop' },
        vars: { plan: 'free', orderStatus: 'none' },
      })
      expect(request!.headers['webhook-id']).toMatch(/^msg_/)
      await page.close()
    })

    it('loads its live chunk from beside hookline.js at start; without it, taps still arrive and one warning says why', async () => {
      const page = await browser.newPage()
      const asked: string[] = []
      page.on('request', (request) => asked.push(new URL(request.url()).pathname))
      await page.goto(`${stack.site.url}/shop`)
      await sdkReady(page)
      await page.waitForFunction(() => document.querySelector('#plan')!.textContent === 'free')
      expect(asked).toContain('/hookline-live.js')
      await page.close()

      const blocked = await browser.newPage()
      await blocked.route('**/hookline-live.js', (route) => route.abort())
      const warned: string[] = []
      blocked.on('console', (message) => {
        if (message.type() === 'warning') warned.push(message.text())
      })
      await blocked.goto(`${stack.site.url}/shop`)
      await sdkReady(blocked)
      const before = stack.endpoint.requests.length
      await blocked.click('#add')
      await blocked.click('#add')
      const requests = await stack.endpoint.waitFor((list) => list.length >= before + 2, 15_000)
      expect(requests.slice(before).map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
        'add-to-cart',
        'add-to-cart',
      ])
      const log = await blocked.evaluate(() => (window as unknown as { hookline: Hl }).hookline.log.get())
      // The script tag writes the message's code (docs/messages.md), not its text.
      const off = log.filter((e) => e.kind === 'warning' && e.code === 'HL04')
      expect(off).toHaveLength(1)
      expect(off[0]!.message).toMatch(
        /^HL04 could not load http:\/\/127\.0\.0\.1:\d+\/hookline-live\.js \(docs\/messages\.md#hl04\)$/,
      )
      expect(warned.filter((line) => line.startsWith('[hookline] HL04 could not load'))).toHaveLength(1)
      // Once the devtools chunk is loaded, which carries the texts, a warning is written in full.
      const afterDevtools = await blocked.evaluate(async () => {
        const hl = (
          window as unknown as { hookline: Hl & { devtools(): Promise<void>; on(n: string, s: object): void } }
        ).hookline
        await hl.devtools()
        hl.on('Not A Name', { tap: '#add' })
        await Promise.resolve()
        return hl.log.get().filter((e) => e.code === 'HL15')
      })
      expect(afterDevtools).toMatchObject([
        { code: 'HL15', message: 'hl.on(): "Not A Name" is not an event name (1–100 of a-z 0-9 . _ : -); ignored' },
      ])
      await blocked.close()
    })

    it('data-hl-set changes a variable and every data-hl-bind showing it', async () => {
      const page = await browser.newPage()
      await page.goto(`${stack.site.url}/shop`)
      await sdkReady(page)
      await page.click('#pro')
      expect(await page.textContent('#plan')).toBe('pro')
      await page.close()
    })

    it('an inbound webhook changes a data-hl-bind element’s text over the stream', async () => {
      const page = await browser.newPage()
      await page.goto(`${stack.site.url}/shop`)
      await sdkReady(page)
      await page.waitForFunction(
        () =>
          (window as unknown as { hookline: { status: { get(): { stream: string } } } }).hookline.status.get()
            .stream === 'open',
      )
      const sessionId = await page.evaluate(() => (window as unknown as { hookline: Hl }).hookline.sessionId)
      const created = await stack.relay.admin('POST', `/v1/projects/${stack.project.projectId}/listeners`, {
        name: 'fulfillment',
        set: { orderStatus: '$.status' },
        target: { session: '$.session' },
        verify: false,
      })
      expect(created.status).toBe(201)
      const inbound = await stack.relay.request(created.body.listener.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'shipped', session: sessionId }),
      })
      expect(inbound.status).toBeLessThan(300)
      await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'shipped', undefined, {
        timeout: 10_000,
      })
      await page.close()
    })

    it('after a reload the stream resumes from the last frame it saw: frames sent while away arrive, older ones are not replayed', async () => {
      const page = await browser.newPage()
      const streamOpen = () =>
        page.waitForFunction(
          () =>
            (window as unknown as { hookline: { status: { get(): { stream: string } } } }).hookline.status.get()
              .stream === 'open',
        )
      await page.goto(`${stack.site.url}/shop`)
      await sdkReady(page)
      await streamOpen()
      const sessionId = await page.evaluate(() => (window as unknown as { hookline: Hl }).hookline.sessionId)
      const created = await stack.relay.admin('POST', `/v1/projects/${stack.project.projectId}/listeners`, {
        name: 'status',
        set: { orderStatus: '$.status' },
        target: { session: '$.session' },
        verify: false,
      })
      const inbound = (status: string) =>
        stack.relay.request(created.body.listener.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ status, session: sessionId }),
        })
      await inbound('confirmed')
      await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'confirmed')

      await page.goto(`${stack.site.url}/elsewhere`)
      await inbound('shipped') // while the page is away
      await page.goto(`${stack.site.url}/shop`)
      await sdkReady(page)
      expect(await page.evaluate(() => (window as unknown as { hookline: Hl }).hookline.sessionId)).toBe(sessionId)
      await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'shipped', undefined, {
        timeout: 10_000,
      })
      const varsEntries = await page.evaluate(() =>
        (window as unknown as { hookline: Hl }).hookline.log
          .get()
          .filter((e) => e.kind === 'vars' && (e as { source?: string }).source === 'inbound'),
      )
      expect(varsEntries.map((e) => (e as unknown as { set: { orderStatus: string } }).set.orderStatus)).toEqual([
        'shipped',
      ])
      await page.close()
    })

    it('an event the relay rejects rolls its optimistic update back, and the log says why', async () => {
      const page = await browser.newPage()
      await page.goto(`${stack.site.url}/rejected`)
      await sdkReady(page)
      await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'none')
      // Record every text the bound element shows.
      await page.evaluate(() => {
        const seen: string[] = ((window as unknown as { seen: string[] }).seen = [])
        const element = document.querySelector('#order')!
        new MutationObserver(() => seen.push(element.textContent)).observe(element, {
          childList: true,
          characterData: true,
          subtree: true,
        })
      })
      const before = stack.endpoint.requests.length
      // (The relay answers within milliseconds: `seen` records the optimistic value in between.)
      await page.click('#pay')
      await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'none', undefined, {
        timeout: 10_000,
      })
      const result = await page.evaluate(() => {
        const hl = (window as unknown as { hookline: Hl }).hookline
        return {
          seen: (window as unknown as { seen: string[] }).seen,
          log: hl.log.get().filter((e) => e.kind === 'rejected' || e.kind === 'rolled-back'),
        }
      })
      expect(result.seen).toEqual(['pending', 'none'])
      expect(result.log.map((e) => e.kind)).toEqual(['rejected', 'rolled-back'])
      expect(String(result.log[0]!.reason)).toMatch(/screen/)
      expect(result.log[1]).toMatchObject({ vars: ['orderStatus'] })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(stack.endpoint.requests.length).toBe(before) // nothing was delivered
      await page.close()
    })

    it('when every delivery of an event fails for good, its optimistic update rolls back', async () => {
      stack.endpoint.respond((request) =>
        request.body.includes('order-placed') ? { status: 400, body: 'no such order' } : { status: 200 },
      )
      try {
        const page = await browser.newPage()
        await page.goto(`${stack.site.url}/failing`)
        await sdkReady(page)
        await page.waitForFunction(
          () =>
            (window as unknown as { hookline: { status: { get(): { stream: string } } } }).hookline.status.get()
              .stream === 'open',
        )
        await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'none')
        // Every text the bound element shows: the delivery may fail within milliseconds.
        await page.evaluate(() => {
          const seen: string[] = ((window as unknown as { seen: string[] }).seen = [])
          const element = document.querySelector('#order')!
          new MutationObserver(() => seen.push(element.textContent)).observe(element, {
            childList: true,
            characterData: true,
            subtree: true,
          })
        })
        await page.click('#place')
        await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'none', undefined, {
          timeout: 15_000,
        })
        const log = await page.evaluate(() =>
          (window as unknown as { hookline: Hl }).hookline.log
            .get()
            .filter((e) => e.kind === 'failed' || e.kind === 'rolled-back'),
        )
        expect(log.map((e) => e.kind)).toEqual(['failed', 'rolled-back'])
        expect(log[0]).toMatchObject({ status: 400, final: true, webhookId: stack.webhook.id })
        expect(String(log[1]!.reason)).toMatch(/every delivery failed/)
        expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['placing', 'none'])
        await page.close()
      } finally {
        stack.endpoint.respond({ status: 200 })
      }
    })

    it('the loader stub buffers calls made before hookline.js loads', async () => {
      const page = await browser.newPage()
      const before = stack.endpoint.requests.length
      await page.goto(`${stack.site.url}/loader`)
      await sdkReady(page)
      const requests = await stack.endpoint.waitFor(
        (list) => list.slice(before).some((r) => r.body.includes('loader-early')),
        15_000,
      )
      expect(JSON.parse(requests.find((r) => r.body.includes('loader-early'))!.body)).toMatchObject({
        type: 'loader-early',
        data: { n: 1 },
      })
      await page.close()
    })
  },
)
