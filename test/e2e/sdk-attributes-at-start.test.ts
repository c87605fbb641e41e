import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from '../helpers/chromium.ts'
import type { RecordedRequest } from '../helpers/endpoint.ts'
import { scriptTagPage, startSdkStack, type SdkStack } from './sdk-harness.ts'

type Browser = Awaited<ReturnType<typeof launchChromium>>
type Hl = {
  sessionId: string
  log: { get(): Array<{ kind: string; name?: string; message?: string }> }
  vars: { get(): Record<string, unknown> }
  track(name: string): string
  flush(): Promise<void>
}

/** Every attribute the SDK reads on a page's elements. */
const ATTRIBUTES = ['event', 'props', 'screen', 'set', 'bind'] as const
type Attribute = (typeof ATTRIBUTES)[number]

/** Every non-empty combination of the attributes, on one element each. */
const COMBOS: Attribute[][] = []
for (let mask = 1; mask < 1 << ATTRIBUTES.length; mask++)
  COMBOS.push(ATTRIBUTES.filter((_, index) => mask & (1 << index)))

const label = (combo: readonly Attribute[]) => combo.join('+')
const slug = (combo: readonly Attribute[]) => combo.join('-')

/** The element for a combination: its own event name, screen, variable and props, so nothing is shared. */
function element(combo: readonly Attribute[], tag = 'button'): string {
  const id = slug(combo)
  const attributes = [`id="${id}"`]
  if (combo.includes('event')) attributes.push(`data-hl-event="ev-${id}"`)
  if (combo.includes('props')) attributes.push(`data-hl-props='{"combo":"${id}"}'`)
  if (combo.includes('screen')) attributes.push(`data-hl-screen="screen-${id}"`)
  if (combo.includes('set')) attributes.push(`data-hl-set="v_${id.replaceAll('-', '_')}=tapped"`)
  if (combo.includes('bind')) attributes.push(`data-hl-bind="v_${id.replaceAll('-', '_')}"`)
  return `<${tag} ${attributes.join(' ')}>${id}</${tag}>`
}

/** A page may hold several screens; the "probe" event fired after load carries the last one that appeared. */
const webhooksOf = (requests: RecordedRequest[], sessionId: string) =>
  requests
    .map(
      (request) =>
        JSON.parse(request.body) as { type: string; data?: unknown; session: { id: string; screen?: string } },
    )
    .filter((body) => body.session.id === sessionId)

const hl = (page: Page) => page.evaluate(() => (window as unknown as { hookline?: Hl }).hookline?.sessionId)

// `createHookline` must never throw into the page, whatever the page holds when it starts: every
// HTML attribute the SDK reads, alone and combined, on elements present at load, in the script-tag
// build in real Chromium. Each page must end up with `window.hookline`, no page error, and exactly
// the events its attributes promise at the endpoint.
describe.skipIf(!hasChromium && !process.env.CI)(
  'SDK attributes present at start, in Chromium (skipped: no /usr/bin/chromium; apt-get install -y chromium)',
  () => {
    // Unset when beforeAll failed; afterAll then closes what did start.
    let stack: SdkStack | undefined
    let browser: Browser | undefined
    const defaults: Record<string, string> = {}
    for (const combo of COMBOS) defaults[`v_${slug(combo).replaceAll('-', '_')}`] = 'start'

    beforeAll(async () => {
      stack = await startSdkStack((relay, key) => {
        const pages: Record<string, string> = {}
        for (const combo of COMBOS) pages[`/${slug(combo)}`] = scriptTagPage(relay.url, key, element(combo))
        const everything = COMBOS.map((combo) => element(combo)).join('\n')
        pages['/everything'] = scriptTagPage(relay.url, key, everything)
        pages['/everything-debug'] = scriptTagPage(relay.url, key, everything).replace(' async>', ' data-debug async>')
        pages['/everything-loader'] = scriptTagPage(relay.url, key, everything, 'loader.js').replace(' async>', '>')
        // Nested: a screen holding an event, a setter inside a tracked card, a bound value inside a button.
        pages['/nested'] = scriptTagPage(
          relay.url,
          key,
          `<main data-hl-screen="checkout" data-hl-event="checkout-viewed" data-hl-props='{"step":1}'>
             <div id=card data-hl-event="card-tapped" data-hl-props='{"card":"A"}'>
               <button id=pro data-hl-set="plan=pro" data-hl-event="plan-picked">Pro <b id=plan data-hl-bind="plan">?</b></button>
             </div>
             <section data-hl-screen="inner" data-hl-event="inner-viewed"></section>
           </main>`,
        )
        return pages
      })
      const saved = await stack.relay.admin('PUT', `/v1/projects/${stack.project.projectId}/config`, {
        events: [],
        variables: { ...defaults, plan: 'free' },
      })
      expect(saved.status).toBe(200)
      browser = await launchChromium()
    })

    afterAll(async () => {
      await browser?.close()
      await stack?.close()
    })

    /** Opens `path`, recording page errors; resolves once `window.hookline` has started (or fails saying why). */
    async function open(path: string): Promise<{ page: Page; errors: string[]; sessionId: string }> {
      const page = await browser!.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      // The script tag catches what createHookline throws and logs it: as bad for the page.
      page.on('console', (message) => {
        // (Chromium asks for /favicon.ico, which the site does not have.)
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
          errors.push(message.text())
      })
      await page.goto(`${stack!.site.url}${path}`)
      await page
        .waitForFunction(
          () => typeof (window as unknown as { hookline?: Hl }).hookline?.sessionId === 'string',
          undefined,
          {
            timeout: 5000,
          },
        )
        .catch(() => {})
      expect(errors, `page errors on ${path}`).toEqual([])
      const sessionId = await hl(page)
      expect(sessionId, `window.hookline on ${path}`).toMatch(/^ses_/)
      return { page, errors, sessionId: sessionId! }
    }

    /** Waits until the relay has delivered `count` webhooks of this session (and no more arrive shortly after). */
    async function delivered(sessionId: string, count: number) {
      await stack!.endpoint.waitFor((list) => webhooksOf(list, sessionId).length >= count, 15_000)
      await new Promise((resolve) => setTimeout(resolve, 300))
      return webhooksOf(stack!.endpoint.requests, sessionId)
    }

    it.each(COMBOS.map((combo) => [label(combo), combo] as const))('%s on one element at load', async (_, combo) => {
      const id = slug(combo)
      const variable = `v_${id.replaceAll('-', '_')}`
      const has = (attribute: Attribute) => combo.includes(attribute)
      const { page, errors, sessionId } = await open(`/${id}`)

      if (has('bind'))
        await page.waitForFunction((sel) => document.querySelector(sel)!.textContent === 'start', `#${id}`)
      await page.click(`#${id}`)
      if (has('set')) {
        expect(
          await page.evaluate((name) => (window as unknown as { hookline: Hl }).hookline.vars.get()[name], variable),
        ).toBe('tapped')
        if (has('bind')) expect(await page.textContent(`#${id}`)).toBe('tapped')
      } else if (has('bind')) expect(await page.textContent(`#${id}`)).toBe('start')
      await page.evaluate(() => {
        const hookline = (window as unknown as { hookline: Hl }).hookline
        hookline.track('probe')
        return hookline.flush()
      })

      // With data-hl-screen, data-hl-event tracks when the element appears (once), not on tap.
      const expected = has('event') ? 2 : 1
      const webhooks = await delivered(sessionId, expected)
      expect(webhooks.map((w) => w.type).sort()).toEqual(has('event') ? [`ev-${id}`, 'probe'] : ['probe'])
      const tracked = webhooks.find((w) => w.type === `ev-${id}`)
      if (tracked) {
        expect(tracked.data ?? {}).toEqual(has('props') ? { combo: id } : {})
        if (has('screen')) expect(tracked.session.screen).toBe(`screen-${id}`)
      }
      const probe = webhooks.find((w) => w.type === 'probe')!
      if (has('screen')) expect(probe.session.screen).toBe(`screen-${id}`)
      const warnings = await page.evaluate(() =>
        (window as unknown as { hookline: Hl }).hookline.log
          .get()
          .filter((e) => e.kind === 'warning' || e.kind === 'rejected'),
      )
      expect(warnings).toEqual([])
      expect(errors).toEqual([])
      await page.close()
    })

    for (const path of ['/everything', '/everything-debug', '/everything-loader'])
      it(`every combination at once on one page (${path.slice(1)})`, async () => {
        const { page, errors, sessionId } = await open(path)
        const screens = COMBOS.filter((combo) => combo.includes('screen') && combo.includes('event'))
        const webhooks = await delivered(sessionId, screens.length)
        expect(webhooks.map((w) => w.type).sort()).toEqual(screens.map((combo) => `ev-${slug(combo)}`).sort())
        // Every bound element shows its default; each tap then does what its attributes say.
        await page.waitForFunction(
          () => [...document.querySelectorAll('[data-hl-bind]')].every((e) => e.textContent === 'start'),
          undefined,
          { timeout: 5000 },
        )
        const tapped = COMBOS.filter((combo) => combo.includes('event') && !combo.includes('screen'))
        for (const combo of COMBOS) await page.click(`#${slug(combo)}`)
        await page.evaluate(() => (window as unknown as { hookline: Hl }).hookline.flush())
        const after = await delivered(sessionId, screens.length + tapped.length)
        expect(after.map((w) => w.type).sort()).toEqual(
          [...screens, ...tapped].map((combo) => `ev-${slug(combo)}`).sort(),
        )
        for (const combo of COMBOS.filter((c) => c.includes('set') && c.includes('bind')))
          expect(await page.textContent(`#${slug(combo)}`)).toBe('tapped')
        expect(errors).toEqual([])
        await page.close()
      })

    it('nested attributes at load: a tracked screen holding a tracked card holding a setter with a bound value', async () => {
      const { page, errors, sessionId } = await open('/nested')
      const atLoad = await delivered(sessionId, 2)
      expect(atLoad.map((w) => w.type).sort()).toEqual(['checkout-viewed', 'inner-viewed'])
      expect(atLoad.find((w) => w.type === 'checkout-viewed')).toMatchObject({ data: { step: 1 } })
      await page.waitForFunction(() => document.querySelector('#plan')!.textContent === 'free')
      await page.click('#pro')
      expect(await page.textContent('#plan')).toBe('pro')
      await page.evaluate(() => (window as unknown as { hookline: Hl }).hookline.flush())
      const after = await delivered(sessionId, 3)
      // The tap tracks the closest data-hl-event (the button), with the variable already set.
      expect(after.map((w) => w.type).sort()).toEqual(['checkout-viewed', 'inner-viewed', 'plan-picked'])
      expect(after.find((w) => w.type === 'plan-picked')).toMatchObject({ session: { screen: 'inner' } })
      expect(errors).toEqual([])
      await page.close()
    })
  },
)
