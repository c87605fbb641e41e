import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from '../helpers/chromium.ts'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import { scriptTagPage, sdkReady, startSdkStack, type SdkStack } from './sdk-harness.ts'

type Browser = Awaited<ReturnType<typeof launchChromium>>
type Entry = { kind: string; eventId?: string; reason?: string; final?: boolean; webhookId?: string; vars?: string[] }
type Hl = {
  sessionId: string
  log: { get(): Entry[] }
  vars: { get(): Record<string, unknown> }
  status: { get(): { stream: string } }
  track(name: string, props?: object, options?: { optimistic?: object }): string
}

const streamOpen = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { hookline: Hl }).hookline.status.get().stream === 'open')
const types = (endpoint: TestEndpoint) => endpoint.requests.map((r) => (JSON.parse(r.body) as { type: string }).type)

// What comes back to an open page, in the script-tag build in real Chromium against a real relay:
// taps sent at once, config changes applied without a reload, rollbacks that follow the fan-out.
describe.skipIf(!hasChromium && !process.env.CI)(
  'SDK live behaviour in Chromium (skipped: no /usr/bin/chromium; apt-get install -y chromium)',
  () => {
    let stack: SdkStack | undefined
    let failing: TestEndpoint | undefined
    let browser: Browser | undefined
    let configPath = ''
    let listenerUrl = ''
    let inboundCount = 0
    const inbound = async (session: string, body: object) => {
      const res = await stack!.relay.request(listenerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': `msg_live_${++inboundCount}` },
        body: JSON.stringify({ session, ...body }),
      })
      expect(res.status).toBe(202)
    }
    const page = `<button id=tap data-hl-event="latency-tap">tap</button>
      <b id=status data-hl-bind="orderStatus">?</b> <i id=banner data-hl-bind="banner">?</i>
      <button id=cfg>configured later</button>
      <button id=pro data-hl-set="plan=pro">pro</button> <u id=plan data-hl-bind="plan">?</u> <s id=eta data-hl-bind="eta">?</s>`

    beforeAll(async () => {
      stack = await startSdkStack((relay, key) => ({
        '/': scriptTagPage(relay.url, key, page),
        '/away': '<!doctype html><title>away</title><p>a page without the SDK',
      }))
      const { relay, project, webhook } = stack
      const created = await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
        name: 'orders',
        set: { orderStatus: '$.status', eta: '$.eta' },
        target: { session: '$.session' },
        verify: false,
      })
      expect(created.status).toBe(201)
      listenerUrl = created.body.listener.url
      configPath = `/v1/projects/${project.projectId}/config`
      expect(
        (
          await relay.admin('PUT', configPath, {
            events: [],
            variables: { orderStatus: 'none', plan: 'free', eta: '-' },
          })
        ).status,
      ).toBe(200)
      // The stack's webhook (200) takes the taps and `one-fails`; two failing ones take the rest.
      const patched = await relay.admin('PATCH', `/v1/projects/${project.projectId}/webhooks/${webhook.id}`, {
        events: ['latency-tap', 'one-fails', 'cfg-*'],
      })
      expect(patched.status).toBe(200)
      failing = await startEndpoint({ status: 500 })
      for (const events of [['one-fails', 'both-fail'], ['both-fail']])
        await relay.createWebhook(project.projectId, {
          url: `${failing.url}/hook`,
          events,
          retry: { maxAttempts: 1 },
        })
      browser = await launchChromium()
    })

    afterAll(async () => {
      await browser?.close()
      await failing?.close()
      await stack?.close()
    })

    async function open(): Promise<Page> {
      const tab = await browser!.newPage()
      await tab.goto(`${stack!.site.url}/`)
      await sdkReady(tab)
      await streamOpen(tab)
      await tab.waitForFunction(() => document.querySelector('#status')!.textContent === 'none')
      return tab
    }

    it('sends a tap at once: 10 taps 400 ms apart each reach the endpoint well within the old 1 s window', async () => {
      const tab = await open()
      const before = stack!.endpoint.requests.length
      const latencies: number[] = []
      for (let i = 0; i < 10; i++) {
        const tapped = Date.now()
        await tab.click('#tap')
        const [arrived] = (await stack!.endpoint.waitFor((list) => list.length > before + i, 5000)).slice(before + i)
        latencies.push(arrived!.receivedAt - tapped)
        await new Promise((resolve) => setTimeout(resolve, 400))
      }
      latencies.sort((a, b) => a - b)
      // The goal is ≤ 20 ms at p50 (bench/sdk has the figure); on a loaded 2-core machine we only
      // check that no batch window holds taps back: the old policy waited 1 s for each.
      expect(latencies[5], `latencies ${latencies.join(', ')} ms`).toBeLessThan(250)
      await tab.close()
    })

    it('applies a config change on an open page at once, without a reload or a visibility change', async () => {
      const tab = await open()
      await tab.evaluate(
        () => ((window as unknown as { loads: number }).loads = performance.getEntriesByType('navigation').length),
      )
      const saved = await stack!.relay.admin('PUT', configPath, {
        events: [{ name: 'cfg-tapped', trigger: { tap: '#cfg' } }],
        variables: { orderStatus: 'none', plan: 'free', eta: '-', banner: 'hello' },
      })
      expect(saved.status).toBe(200)
      const changed = Date.now()
      await tab.waitForFunction(() => document.querySelector('#banner')!.textContent === 'hello', undefined, {
        timeout: 3000,
      })
      expect(Date.now() - changed).toBeLessThan(3000)
      await tab.click('#cfg')
      await stack!.endpoint.waitFor((list) => list.some((r) => r.body.includes('"cfg-tapped"')), 5000)
      expect(await tab.evaluate(() => document.visibilityState)).toBe('visible')
      expect(types(stack!.endpoint)).toContain('cfg-tapped')
      await tab.close()
    })

    /** Fires `name` with an optimistic orderStatus and returns its id. */
    const fire = (tab: Page, name: string) =>
      tab.evaluate(
        (event) =>
          (window as unknown as { hookline: Hl }).hookline.track(event, {}, { optimistic: { orderStatus: 'pending' } }),
        name,
      )
    const entries = (tab: Page, eventId: string) =>
      tab.evaluate(
        (id) => (window as unknown as { hookline: Hl }).hookline.log.get().filter((e) => e.eventId === id),
        eventId,
      )

    it('keeps an optimistic update when one of two webhooks fails and the other succeeds late', async () => {
      const tab = await open()
      // The good endpoint answers 3 s late, after the other webhook's final failure.
      stack!.endpoint.respond((request) => (request.body.includes('"one-fails"') ? { delayMs: 3000 } : {}))
      const id = await fire(tab, 'one-fails')
      await tab.waitForFunction(
        (eventId) =>
          (window as unknown as { hookline: Hl }).hookline.log
            .get()
            .some((e) => e.eventId === eventId && e.kind === 'failed' && e.final),
        id,
        { timeout: 10_000 },
      )
      expect(await tab.textContent('#status')).toBe('pending')
      await tab.waitForFunction(
        (eventId) =>
          (window as unknown as { hookline: Hl }).hookline.log
            .get()
            .some((e) => e.eventId === eventId && e.kind === 'delivered'),
        id,
        {
          timeout: 10_000,
        },
      )
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(await tab.textContent('#status')).toBe('pending')
      expect((await entries(tab, id)).map((e) => e.kind)).not.toContain('rolled-back')
      stack!.endpoint.respond({ status: 200 })
      await tab.close()
    })

    it('rolls an optimistic update back exactly when both of its webhooks have finally failed', async () => {
      const tab = await open()
      // (Both fail within milliseconds, so the page may already show the rollback here.)
      const id = await fire(tab, 'both-fail')
      await tab.waitForFunction(
        (eventId) =>
          (window as unknown as { hookline: Hl }).hookline.log
            .get()
            .some((e) => e.eventId === eventId && e.kind === 'rolled-back'),
        id,
        { timeout: 10_000 },
      )
      expect(await tab.textContent('#status')).toBe('none')
      const log = await entries(tab, id)
      const failures = log.filter((e) => e.kind === 'failed' && e.final)
      expect(new Set(failures.map((e) => e.webhookId)).size).toBe(2)
      // The rollback comes right after the second final failure, not before it.
      expect(log.findIndex((e) => e.kind === 'rolled-back')).toBeGreaterThan(log.lastIndexOf(failures.at(-1)!))
      expect(log.find((e) => e.kind === 'rolled-back')).toMatchObject({
        vars: ['orderStatus'],
        reason: expect.stringMatching(/^every delivery failed/),
      })
      await tab.close()
    })

    it("keeps the session's variables across a reload, then replays what the stream missed meanwhile", async () => {
      const tab = await open()
      const session = await tab.evaluate(() => (window as unknown as { hookline: Hl }).hookline.sessionId)
      await inbound(session, { status: 'shipped', eta: 'monday' })
      await tab.waitForFunction(() => document.querySelector('#status')!.textContent === 'shipped')
      await tab.click('#pro')
      expect(await tab.textContent('#plan')).toBe('pro')
      await new Promise((resolve) => setTimeout(resolve, 200)) // the save: one IndexedDB write
      // Away from the page (same tab, so the same session) while an inbound webhook arrives.
      await tab.goto(`${stack!.site.url}/away`)
      await inbound(session, { status: 'delivered', eta: 'today' })
      await tab.goto(`${stack!.site.url}/`)
      await sdkReady(tab)
      expect(await tab.evaluate(() => (window as unknown as { hookline: Hl }).hookline.sessionId)).toBe(session)
      // The plan set on the page comes back from IndexedDB; the status missed while away, from the replay.
      await tab.waitForFunction(
        () =>
          document.querySelector('#plan')!.textContent === 'pro' &&
          document.querySelector('#status')!.textContent === 'delivered' &&
          document.querySelector('#eta')!.textContent === 'today',
        undefined,
        { timeout: 5000 },
      )
      // And once more: a plain reload keeps all of it, the config's defaults do not win.
      await tab.reload()
      await sdkReady(tab)
      await streamOpen(tab)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await tab.evaluate(() => (window as unknown as { hookline: Hl }).hookline.vars.get())).toMatchObject({
        plan: 'pro',
        orderStatus: 'delivered',
        eta: 'today',
      })
      expect(await tab.textContent('#plan')).toBe('pro')
      await tab.close()
    })
  },
)
