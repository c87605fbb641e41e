import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { newId } from '@hookline/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from '../helpers/chromium.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay.ts'
import { serveStatic, type StaticServer } from '../helpers/static-server.ts'
import { ensureSdkBuild, scriptTagPage, SDK_DIST, sdkReady, status } from './sdk-harness.ts'
import { closeOpened } from '../helpers/close.ts'

type Browser = Awaited<ReturnType<typeof launchChromium>>
type Hl = {
  sessionId: string
  log: {
    get(): Array<{ kind: string; source?: string; message?: string; code?: string; set?: Record<string, unknown> }>
  }
}

const sessionOf = (page: Page) => page.evaluate(() => (window as unknown as { hookline: Hl }).hookline.sessionId)
const streamOpen = (page: Page) =>
  page.waitForFunction(() => (window as any).hookline.status.get().stream === 'open', undefined, { timeout: 20_000 })
/** The `orderStatus` values the page's log shows arriving from inbound webhooks, in order. */
const inboundValues = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { hookline: Hl }).hookline.log
      .get()
      .filter((e) => e.kind === 'vars' && e.source === 'inbound')
      .map((e) => e.set!.orderStatus),
  )

// The SDK's stream in real Chromium against a real relay that goes away and comes back: what was
// sent while the page was disconnected arrives once, even before the page saw its first frame.
describe.skipIf(!hasChromium && !process.env.CI)(
  'SDK stream resume in Chromium (skipped: no /usr/bin/chromium; apt-get install -y chromium)',
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-sdk-stream-'))
    let relay: TestRelay
    let key: string
    let listenerUrl: string
    let site: StaticServer
    let browser: Browser

    const inbound = async (session: string, orderStatus: string) => {
      const id = newId('msg')
      const send = () =>
        relay.request(listenerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': id },
          body: JSON.stringify({ session, status: orderStatus }),
        })
      // Right after a restart, Node's fetch may reuse a pooled socket to the old relay ("other side
      // closed"); that request never reached a relay, and the webhook id would dedupe it if it had.
      const res = await send().catch(send)
      expect(res.status).toBe(202)
    }

    beforeAll(async () => {
      await ensureSdkBuild()
      relay = await startTestRelay({ dataDir })
      const project = await relay.createProject({ name: 'SDK stream e2e' })
      key = project.keys.test
      const created = await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
        name: 'orders',
        set: { orderStatus: '$.status' },
        target: { session: '$.session' },
        verify: false,
      })
      listenerUrl = created.body.listener.url
      await inbound(newId('ses'), 'for-someone-else') // so the cursor the relay sends on connect is not 0
      site = await serveStatic({
        root: SDK_DIST,
        pages: { '/shop': scriptTagPage(relay.url, key, `<span id=order data-hl-bind="orderStatus"></span>`) },
      })
      browser = await launchChromium()
    })

    afterAll(async () => {
      await closeOpened(browser, site, relay)
      rmSync(dataDir, { recursive: true, force: true })
    })

    it('a webhook sent while the relay restarts, before the page saw any frame, arrives after the reconnect exactly once', async () => {
      const page = await browser.newPage()
      await page.goto(`${site.url}/shop`)
      await sdkReady(page)
      await streamOpen(page)
      const sessionId = await sessionOf(page)
      expect(await inboundValues(page)).toEqual([])

      // Down and up on the same port and data; the webhook lands before the page has reconnected.
      const port = relay.port
      await relay.close()
      relay = await startTestRelay({ dataDir, port })
      await inbound(sessionId, 'shipped')
      expect((await status(page)).stream).not.toBe('open')

      await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'shipped', undefined, {
        timeout: 20_000,
      })
      await streamOpen(page)
      await inbound(sessionId, 'delivered') // live now; the replayed frame must not come again with it
      await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'delivered', undefined, {
        timeout: 10_000,
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await inboundValues(page)).toEqual(['shipped', 'delivered'])
      await page.close()
    }, 60_000)

    it('a kept stream id the relay refuses (400) is dropped after a few tries, said once in the log, and the stream opens', async () => {
      const context = await browser.newContext()
      const sessionId = newId('ses')
      await context.addInitScript(
        ([sessionId]) => {
          try {
            if (location.protocol !== 'http:' || sessionStorage.getItem('hookline:session')) return
            sessionStorage.setItem('hookline:session', sessionId!)
            sessionStorage.setItem(`hookline:last-event-id:${sessionId}`, 'not-a-frame-id')
          } catch {
            // sessionStorage refused (not an http page): nothing to seed.
          }
        },
        [sessionId],
      )
      const page = await context.newPage()
      await page.goto(`${site.url}/shop`)
      await sdkReady(page)
      expect(await sessionOf(page)).toBe(sessionId)
      await streamOpen(page)
      const warnings = await page.evaluate(() =>
        (window as unknown as { hookline: Hl }).hookline.log
          .get()
          .filter((e) => e.kind === 'warning' && e.code === 'HL29') // the stream restarted from now
          .map((e) => e.message),
      )
      expect(warnings).toEqual([expect.stringContaining('not-a-frame-id')])
      expect(await page.evaluate((id) => sessionStorage.getItem(`hookline:last-event-id:${id}`), sessionId)).not.toBe(
        'not-a-frame-id',
      )
      await inbound(sessionId, 'confirmed')
      await page.waitForFunction(() => document.querySelector('#order')!.textContent === 'confirmed', undefined, {
        timeout: 10_000,
      })
      await context.close()
    }, 60_000)
  },
)
