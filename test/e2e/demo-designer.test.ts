import { describe, expect, it } from 'vitest'
import { DESKTOP, PHONE, sdkStarted, useDemo } from './demo-fixture.ts'
import { hasChromium } from '../helpers/chromium.ts'

// A designer's first session, in real Chromium: wire a webhook to the mock fulfillment service,
// test it, pay in the prototype and watch the order status arrive on its own, in the prototype,
// in the devtools panel and in the delivery log. Screenshots of each screen go to test-results/demo/.
describe.skipIf(!hasChromium && !process.env.CI)('the designers demo', () => {
  const e2e = useDemo({ name: 'demo', stepMs: 1200 })
  const { link, shot } = e2e

  it('wires a webhook, pays, and sees pending → confirmed → shipped everywhere', async () => {
    const { demo, browser } = e2e
    const dashboard = await browser.newPage({ viewport: DESKTOP })
    // The dashboard's CSP (its own scripts only, its own origin only) must not stand in its way.
    const refused: string[] = []
    dashboard.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text())
    })

    // Events: the seeded config, as a designer first sees it, and the prototype opened from there.
    await dashboard.goto(link('events'))
    await dashboard.getByRole('heading', { name: 'Named events' }).waitFor()
    await expect.poll(() => dashboard.locator('.event-row').count(), { timeout: 10_000 }).toBeGreaterThan(3)
    const [prototype] = await Promise.all([
      dashboard.waitForEvent('popup'),
      dashboard.getByRole('link', { name: 'Open the prototype ↗' }).click(),
    ])
    await prototype.setViewportSize(PHONE)
    // Headless Chromium throttles background tabs' timers: keep the page being used in front.
    await dashboard.bringToFront()
    await sdkStarted(prototype)

    // A new named event on a screen trigger, saved: the open prototype reloads with it.
    await dashboard.getByRole('button', { name: 'New event' }).click()
    const row = dashboard.locator('.event-row').last()
    await row.getByLabel('Event name').fill('order-status-viewed')
    await row.getByLabel(/Trigger of/).selectOption('screen')
    await row.getByPlaceholder('checkout', { exact: true }).fill('status')

    // A tap event wired by picking: "Pick in prototype", the open prototype outlines what is under
    // the pointer, a click there sends back its selector.
    await dashboard.getByRole('button', { name: 'New event' }).click()
    const tapRow = dashboard.locator('.event-row').last()
    await expect
      .poll(() => tapRow.getByLabel('Event name').evaluate((input) => input === document.activeElement))
      .toBe(true)
    await tapRow.getByLabel('Event name').fill('mug-tapped')
    await tapRow.getByRole('button', { name: /Pick in prototype/ }).click()
    await prototype.locator('[data-hookline-picker]').waitFor({ state: 'attached' })
    await prototype.getByRole('link', { name: 'Add to cart' }).hover()
    await expect
      .poll(() => prototype.locator('[data-hookline-picker]').textContent())
      .toBe('[data-hl-event="add-to-cart"]')
    await shot(prototype, '00-prototype-picking')
    await prototype.getByRole('link', { name: 'Add to cart' }).click()
    await expect.poll(() => tapRow.getByLabel(/CSS selector/).inputValue()).toBe('[data-hl-event="add-to-cart"]')
    await tapRow.getByText('Picked: matches 1 element in the open prototype.').waitFor()
    expect(await prototype.locator('.count').first().textContent()).toBe('0') // the picking click did not tap

    // Selectors are checked on save: the syntax first, then how many elements match.
    await dashboard.getByRole('button', { name: 'New event' }).click()
    const badRow = dashboard.locator('.event-row').last()
    await badRow.getByLabel('Event name').fill('pay-tapped')
    await badRow.getByLabel(/CSS selector/).fill('#pay[')
    await badRow.getByText('Not a valid CSS selector').waitFor()
    await dashboard.getByRole('button', { name: 'Save changes' }).click()
    await dashboard.getByText('is not a valid CSS selector.', { exact: false }).waitFor()
    await badRow.getByLabel(/CSS selector/).fill('#pay-now')
    expect(await dashboard.getByText('is not a valid CSS selector.', { exact: false }).count()).toBe(0)

    // Saved: the open prototype takes the new config from the relay's stream, without a reload.
    await prototype.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true))
    await dashboard.getByRole('button', { name: 'Save changes' }).click()
    await dashboard.getByText('Saved. Every open prototype uses it now, without a reload.').waitFor()
    await badRow.getByText('matches 0 elements in the open prototype', { exact: false }).waitFor()
    await shot(dashboard, '01-dashboard-events')

    // A new webhook to the mock service, its secret shown once, and a test that gets 200.
    await dashboard.getByRole('link', { name: /Webhooks/ }).click()
    await dashboard.getByRole('button', { name: 'New webhook' }).click()
    await dashboard.getByLabel('Name', { exact: true }).fill('Order system (designer)')
    await dashboard.getByRole('button', { name: "Use the demo's mock fulfillment service" }).click()
    await dashboard.getByRole('button', { name: 'Customise' }).click()
    await expect
      .poll(() => dashboard.getByLabel('Preview of the body sent').textContent(), { timeout: 10_000 })
      .toContain('"total": 29')
    await shot(dashboard, '02-dashboard-new-webhook')
    await dashboard.getByRole('button', { name: 'Create webhook' }).click()
    await dashboard.getByRole('heading', { name: /Signing secret/ }).waitFor()
    expect(await dashboard.locator('.secret-value').textContent()).toMatch(/^whsec_/)
    await dashboard.getByRole('button', { name: 'Send test' }).click()
    const result = dashboard.locator('.test-result')
    await result.waitFor()
    expect(await result.textContent()).toContain('Test delivered')
    expect(await result.locator('.badge').first().textContent()).toBe('200')
    await expect
      .poll(() => dashboard.locator('.delivery').first().textContent(), { timeout: 10_000 })
      .toMatch(/webhook\.test.*200/)
    // The test used the template: the body it rendered is there to read.
    await result.getByText('Sent: the body your template rendered').click()
    expect(await result.getByLabel('Body sent by the test').textContent()).toContain('"event": "checkout-completed"')
    await shot(dashboard, '03-dashboard-webhook-tested')

    // Rotating the secret asks first, and says the old one keeps signing for 24 h.
    const firstSecret = await dashboard.locator('.secret-value').textContent()
    await dashboard.getByRole('button', { name: 'Rotate secret' }).click()
    await dashboard.getByText('For 24 hours the old secret keeps signing too', { exact: false }).waitFor()
    await shot(dashboard, '03b-dashboard-rotate-confirm')
    await dashboard.getByRole('button', { name: 'Rotate now' }).click()
    await expect.poll(() => dashboard.locator('.secret-value').textContent()).not.toBe(firstSecret)
    expect(await dashboard.locator('.secret-value').textContent()).toMatch(/^whsec_/)

    // The prototype, on a phone: product → cart → checkout → pay.
    await prototype.bringToFront()
    await sdkStarted(prototype)
    await shot(prototype, '04-prototype-product')
    await prototype.getByRole('link', { name: 'Add to cart' }).click()
    await expect.poll(() => prototype.locator('.count').textContent(), { timeout: 10_000 }).toBe('1')
    await shot(prototype, '05-prototype-cart')
    await prototype.getByRole('link', { name: 'Checkout' }).click()
    await prototype.getByRole('radio', { name: /Express/ }).check()
    await shot(prototype, '06-prototype-checkout')

    // Record every value the status takes, from before the tap on "Pay".
    await prototype.evaluate(() => {
      const status = document.querySelector('.status-card .status')!
      const seen: string[] = [status.textContent]
      ;(window as unknown as { seen: string[] }).seen = seen
      new MutationObserver(() => seen.at(-1) !== status.textContent && seen.push(status.textContent)).observe(status, {
        childList: true,
        characterData: true,
        subtree: true,
      })
    })
    await prototype.getByRole('link', { name: 'Pay $29' }).click()
    await expect
      .poll(() => prototype.locator('.status-card .status').textContent(), { timeout: 20_000 })
      .toBe('pending')
    await shot(prototype, '07-prototype-pending')
    await expect
      .poll(() => prototype.locator('.status-card .status').textContent(), { timeout: 20_000 })
      .toBe('shipped')
    const seen = await prototype.evaluate(() => (window as unknown as { seen: string[] }).seen)
    expect(
      seen
        .filter((value) => ['pending', 'confirmed', 'shipped'].includes(value))
        .filter((v, i, all) => all.indexOf(v) === i),
    ).toEqual(['pending', 'confirmed', 'shipped'])
    await shot(prototype, '08-prototype-shipped')

    // The devtools panel, waiting as a launcher, opened from the keyboard: each step of the round trip.
    await prototype.locator('hookline-devtools .launcher').waitFor()
    await prototype.keyboard.press('Alt+Shift+KeyH')
    const panel = prototype.locator('hookline-devtools section[aria-label="Hookline devtools"]')
    await panel.waitFor()
    const log = () => panel.locator('.row').allTextContents()
    await expect
      .poll(async () => (await log()).join('\n'), { timeout: 15_000 })
      .toMatch(/delivered.*checkout-completed/i)
    const text = (await log()).join('\n')
    expect(text).toMatch(/fired.*checkout-completed/i)
    expect(text).toMatch(/fired.*order-status-viewed/i)
    expect(text).toMatch(/fired.*mug-tapped/i)
    // Both came from the config saved above, which this page applied without a reload.
    expect(await prototype.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
    expect(text).toMatch(/acknowledged/i)
    expect(text).toMatch(/orderStatus = "pending"/)
    expect(text).toMatch(/orderStatus = "confirmed"/)
    expect(text).toMatch(/orderStatus = "shipped"/)
    await shot(prototype, '09-prototype-devtools')

    // The seeded webhook's delivery log: the order, delivered with 200 and the mock's answer.
    await dashboard.bringToFront()
    await dashboard.goto(link(`webhooks/${demo.project.webhookId}`))
    const order = dashboard.locator('.delivery', { hasText: 'checkout-completed' }).first()
    await expect.poll(() => order.textContent(), { timeout: 15_000 }).toMatch(/delivered.*200/)
    await order.locator('.delivery-line').click()
    await dashboard.getByText('Response body').first().click()
    await expect
      .poll(() => order.locator('.attempts').textContent(), { timeout: 10_000 })
      .toContain('"status": "pending"')
    await shot(dashboard, '10-dashboard-delivery-log')

    // The project's event log: the order among every event, delivered, with its payload.
    await dashboard.getByRole('link', { name: /Event log/ }).click()
    const logged = dashboard.locator('.event-log > li', { hasText: 'checkout-completed' }).first()
    await expect.poll(() => logged.textContent(), { timeout: 10_000 }).toMatch(/delivered/)
    await logged.locator('summary').click()
    expect(await logged.locator('pre').textContent()).toContain('"total": 29')
    await shot(dashboard, '10b-dashboard-event-log')

    // The other pages, for the record: listeners and monitoring, and the dashboard on a phone.
    // A listener tried from the dashboard: a signed sample reaches the open prototype.
    await dashboard.goto(link('listeners'))
    await dashboard.getByRole('heading', { name: 'Fulfillment updates' }).waitFor()
    await dashboard.getByText('Try it: send a sample inbound webhook').click()
    const sessionId = await prototype.evaluate(
      () => (window as unknown as { hookline: { sessionId: string } }).hookline.sessionId,
    )
    await expect.poll(() => dashboard.getByLabel('Session to update').inputValue(), { timeout: 10_000 }).toBe(sessionId)
    const body = dashboard.getByLabel('Sample body')
    await body.fill((await body.inputValue()).replace('"shipped"', '"delivered"'))
    await dashboard.getByRole('button', { name: 'Send a sample inbound webhook' }).click()
    await expect.poll(() => dashboard.locator('.sample .badge').textContent(), { timeout: 10_000 }).toBe('202')
    await expect
      .poll(() => prototype.locator('.status-card .status').textContent(), { timeout: 10_000 })
      .toBe('delivered')
    await shot(dashboard, '11-dashboard-listeners')
    await dashboard.goto(link('monitoring'))
    await dashboard.getByRole('heading', { name: 'Delivery success rate' }).waitFor()
    await dashboard.getByRole('heading', { name: 'Attempt success rate' }).waitFor()
    await shot(dashboard, '12-dashboard-monitoring')
    await dashboard.setViewportSize(PHONE)
    await dashboard.goto(link(`webhooks/${demo.project.webhookId}`))
    await dashboard.locator('.delivery').first().waitFor()
    await shot(dashboard, '13-dashboard-phone')

    // Redeliver the order: a second attempt of the same delivery, logged beside the first.
    const redelivered = dashboard.locator('.delivery', { hasText: 'checkout-completed' }).first()
    await redelivered.locator('.delivery-line').click()
    await redelivered.getByRole('button', { name: 'Redeliver' }).click()
    await expect
      .poll(() => redelivered.locator('.delivery-line').textContent(), { timeout: 15_000 })
      .toMatch(/delivered.*200.*2 attempts/)
    await expect.poll(() => redelivered.locator('.attempts > li').count(), { timeout: 10_000 }).toBe(2)

    // A webhook to a failing endpoint, retrying fast (set through the API, 50 ms waits being no
    // designer's choice): one tap, ten failed attempts, and it pauses. Resume from the dashboard.
    const created = await fetch(`${demo.relay.url}/v1/projects/${demo.project.projectId}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.relay.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Flaky CRM',
        url: `${demo.mock.ordersUrl}?fail=503`,
        events: ['add-to-cart'],
        retry: { maxAttempts: 10, scheduleMs: Array(9).fill(50) },
      }),
    })
    const flaky = ((await created.json()) as { webhook: { id: string } }).webhook.id
    await prototype.bringToFront()
    await prototype.keyboard.press('Alt+Shift+KeyH') // the panel covers most of a phone's screen: close it
    await prototype.getByRole('link', { name: 'Back to the shop' }).click()
    await prototype.getByRole('link', { name: 'Add to cart' }).click()
    await dashboard.bringToFront()
    await dashboard.setViewportSize(DESKTOP)
    await dashboard.goto(link(`webhooks/${flaky}`))
    await dashboard.getByText('Nothing is dropped', { exact: false }).waitFor({ timeout: 20_000 })
    await expect.poll(() => dashboard.locator('h1 .badge').textContent(), { timeout: 10_000 }).toBe('paused')
    await expect
      .poll(() => dashboard.locator('.delivery').first().textContent(), { timeout: 10_000 })
      .toMatch(/failed.*503.*10 attempts/)
    await shot(dashboard, '14-dashboard-paused')
    await dashboard.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => dashboard.locator('h1 .badge').textContent(), { timeout: 10_000 }).toBe('active')

    // Monitoring after the failures: ten refused attempts pull the attempt success rate down; the
    // delivery success rate counts final states, and says so.
    await dashboard.goto(link('monitoring'))
    const attempts = dashboard.getByRole('region', { name: 'Attempt success rate' })
    await expect
      .poll(() => attempts.locator('.figure-value').textContent(), { timeout: 15_000 })
      .toMatch(/^(?!100%)\d+(\.\d)?%$/)
    expect(await attempts.textContent()).toMatch(/Flaky CRM\s*0%/)
    const delivered = dashboard.getByRole('region', { name: 'Delivery success rate' })
    expect(await delivered.textContent()).toContain('Deliveries that ended delivered, of those that ended')
    const latency = dashboard.getByRole('region', { name: 'Event-to-action latency' })
    expect(await latency.textContent()).toContain('Tap → endpoint 2xx')
    expect(await latency.textContent()).toContain('Inbound webhook → prototype')
    expect(await dashboard.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3) // drawn by uPlot
    await shot(dashboard, '15-dashboard-monitoring-after-failures')

    // Every page on a phone: the tab strip in full, no keyboard hint.
    await dashboard.setViewportSize(PHONE)
    for (const section of ['events', 'webhooks', 'listeners', 'log', 'monitoring']) {
      await dashboard.goto(link(section))
      await dashboard.locator('main h1').waitFor()
      for (const tab of ['Events', 'Webhooks', 'Listeners', 'Event log', 'Monitoring'])
        expect(await dashboard.getByRole('link', { name: tab, exact: true }).isVisible()).toBe(true)
      await shot(dashboard, `16-phone-${section}`)
    }
    expect(await dashboard.getByText('Alt+Shift+H').isVisible()).toBe(false)
    expect(refused).toEqual([])
  }, 150_000)
})
