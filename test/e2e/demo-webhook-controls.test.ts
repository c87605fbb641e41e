import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DESKTOP, PHONE, useDemo } from './demo-fixture.ts'
import { hasChromium } from '../helpers/chromium.ts'
import type { TestEndpoint } from '../helpers/endpoint.ts'

// A designer's webhook controls, in real Chromium, every setting made in the dashboard and every
// event fired by the SDK in the open prototype: pause by hand and resume (what was held goes out in
// order), a filter (an event it leaves out is `filtered` in the log), "Send test" with the
// template, and a failing endpoint that pauses, is tried again by itself and resumes once it
// answers, while a webhook subscribed to "Relay notices" hears of both. The relay's probe backoff
// is made 3 s (from 1 min) so that the last takes seconds.
interface NewWebhook {
  name: string
  url: string
  /** Subscribed events, replacing the form's default (checkout-completed). */
  events?: { uncheck?: string[]; check?: string[]; relayNotices?: boolean }
  filter?: string
  template?: string
}

describe.skipIf(!hasChromium && !process.env.CI)('webhook controls in the dashboard', () => {
  const e2e = useDemo({
    name: 'controls',
    stepMs: 300,
    dispatcher: { probeScheduleMs: [3000], probeTickMs: 200 },
    dashboard: { bypassCSP: false },
    prototype: true,
  })
  const { link, shot, endpoint, fire } = e2e
  let dashboard: Page
  // The dashboard's CSP (its own scripts and origin only) must not stand in the way of the new views.
  const refused: string[] = []
  beforeAll(() => {
    dashboard = e2e.dashboard
    dashboard.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text())
    })
  })

  const sentIds = (target: TestEndpoint) => target.requests.map((r) => (JSON.parse(r.body) as { id: string }).id)
  const badge = () => dashboard.locator('h1 .badge')

  /** Creates a webhook through the dashboard's form; returns its id, from the page it opens. */
  async function createWebhook(spec: NewWebhook): Promise<string> {
    await dashboard.goto(link('webhooks'))
    await dashboard.getByRole('button', { name: 'New webhook' }).click()
    await dashboard.getByLabel('Name', { exact: true }).fill(spec.name)
    await dashboard.getByLabel('Endpoint URL').fill(spec.url)
    for (const name of spec.events?.uncheck ?? []) await dashboard.getByRole('checkbox', { name }).uncheck()
    for (const name of spec.events?.check ?? []) await dashboard.getByRole('checkbox', { name }).check()
    if (spec.events?.relayNotices) await dashboard.getByRole('checkbox', { name: /Relay notices/ }).check()
    if (spec.filter) await dashboard.getByLabel('Only send events that match (optional)').fill(spec.filter)
    if (spec.template) await dashboard.getByLabel('Payload template').fill(spec.template)
    await dashboard.getByRole('button', { name: 'Create webhook' }).click()
    await dashboard.getByRole('heading', { name: /Signing secret/ }).waitFor()
    const id = decodeURIComponent(new URL(dashboard.url()).hash.split('/')[2] ?? '')
    expect(id).toMatch(/^wh_/)
    return id
  }

  it('pauses by hand, holds what comes meanwhile, and sends it in order on Resume', async () => {
    const target = await endpoint()
    const id = await createWebhook({ name: 'Order log', url: `${target.url}/orders` })
    await dashboard.getByRole('button', { name: 'Pause', exact: true }).click()
    await expect.poll(() => badge().textContent()).toBe('paused')
    await dashboard.getByText('Paused by hand.', { exact: false }).waitFor()
    expect(await dashboard.locator('.notice.paused').textContent()).not.toContain('tries again by itself') // a pause by hand waits for you

    // Three orders while paused, one after another: each shows in the delivery log as held.
    const fired: string[] = []
    for (const total of [10, 20, 30]) {
      fired.push(await fire('checkout-completed', { total }))
      await expect
        .poll(() => dashboard.locator('.delivery[data-status="held"]').count(), { timeout: 10_000 })
        .toBe(fired.length)
    }
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(target.requests).toHaveLength(0)
    expect(await dashboard.locator('.delivery').first().textContent()).toMatch(/checkout-completed.*held/)
    await shot(dashboard, '20-webhook-paused-by-hand')

    await dashboard.getByRole('button', { name: 'Resume' }).click()
    await target.waitFor(3)
    expect(sentIds(target)).toEqual(fired)
    await expect.poll(() => badge().textContent()).toBe('active')
    await expect
      .poll(() => dashboard.locator('.delivery[data-status="succeeded"]').count(), { timeout: 10_000 })
      .toBe(3)
    // What happened, in words, on the webhook's page.
    const happened = dashboard.getByRole('region', { name: 'What happened to it' })
    await expect.poll(() => happened.textContent(), { timeout: 10_000 }).toContain('Webhook resumed')
    expect(await happened.textContent()).toContain('Webhook paused')
    expect(await happened.textContent()).toContain(
      '“Order log” stopped sending and holds its deliveries. Paused by hand.',
    )
    await shot(dashboard, '21-webhook-resumed')
    expect(id).toMatch(/^wh_/)
  }, 60_000)

  it('sends only what its filter admits; what it leaves out is "filtered" in the event log', async () => {
    const target = await endpoint()
    await createWebhook({ name: 'Big orders', url: `${target.url}/big`, filter: '{"data.total": {"$gte": 100}}' })
    const settings = dashboard.getByRole('region', { name: 'Settings' })
    expect(await settings.textContent()).toContain('{"data.total":{"$gte":100}}')
    const small = await fire('checkout-completed', { total: 29 })
    const big = await fire('checkout-completed', { total: 150 })
    await target.waitFor(1)
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(sentIds(target)).toEqual([big])

    await dashboard.getByRole('link', { name: /Event log/ }).click()
    const outcomeOf = async (eventId: string) => {
      const line = dashboard.locator('.event-log > li', { hasText: eventId })
      await line.waitFor({ timeout: 10_000 })
      if (!(await line.locator('details').getAttribute('open'))) await line.locator('summary').click()
      return line.locator('.outcomes li', { hasText: 'Big orders' })
    }
    const left = await outcomeOf(small)
    await expect.poll(() => left.textContent()).toContain('filtered')
    expect(await left.textContent()).toContain("not sent: the webhook's filter leaves this event out")
    expect(await dashboard.locator('.event-log > li', { hasText: small }).locator('summary').textContent()).toContain(
      '1 filtered',
    )
    const sent = await outcomeOf(big)
    await expect.poll(() => sent.textContent(), { timeout: 10_000 }).toContain('delivered')
    await shot(dashboard, '22-event-log-filtered')
  }, 60_000)

  it('"Send test" sends the template rendered, and shows that very body', async () => {
    const target = await endpoint()
    await createWebhook({
      name: 'Shaped orders',
      url: `${target.url}/shaped`,
      template: '{"orderTotal": "{{props.total}}", "kind": "{{event.name}}", "note": "total {{props.total}}"}',
    })
    await dashboard.getByRole('button', { name: 'Send test' }).click()
    const result = dashboard.locator('.test-result')
    await result.waitFor()
    expect(await result.textContent()).toContain('Test delivered')
    await result.getByText('Sent: the body your template rendered').click()
    const shown = JSON.parse((await result.getByLabel('Body sent by the test').textContent()) ?? '') as Record<
      string,
      unknown
    >
    expect(target.requests).toHaveLength(1)
    expect(JSON.parse(target.requests[0]?.body ?? '')).toEqual(shown)
    // The sample is the latest logged checkout-completed (total 150), shaped by the template.
    expect(shown).toEqual({ orderTotal: 150, kind: 'checkout-completed', note: 'total 150' })
    await shot(dashboard, '23-send-test-template')
  }, 60_000)

  it('pauses after failures, tries again by itself, and resumes once the endpoint answers; relay notices tell another webhook', async () => {
    const alerts = await endpoint()
    await createWebhook({
      name: 'Ops alerts',
      url: `${alerts.url}/alerts`,
      events: { uncheck: ['checkout-completed'], relayNotices: true },
    })
    expect(await dashboard.getByRole('region', { name: 'Settings' }).textContent()).toContain('relay notices')

    let healthy = false
    const answered: string[] = []
    const flaky = await endpoint((request) => {
      if (!healthy) return { status: 503 }
      answered.push((JSON.parse(request.body) as { id: string }).id)
      return { status: 200 }
    })
    const id = await createWebhook({
      name: 'Flaky CRM',
      url: `${flaky.url}/crm`,
      events: { uncheck: ['checkout-completed'], check: ['add-to-cart'] },
    })
    const settings = dashboard.getByRole('region', { name: 'Settings' })
    expect(await settings.textContent()).toContain('Tries again by itself after 1, 5, 15 and 30 min, then hourly')

    // Ten taps on a failing endpoint: ten failed attempts in a row pause it; nothing is dropped.
    const fired: string[] = []
    for (let i = 0; i < 10; i++) fired.push(await fire('add-to-cart', { sku: `mug-${i}` }))
    await expect.poll(() => badge().textContent(), { timeout: 20_000 }).toBe('paused')
    const paused = dashboard.locator('.notice.paused')
    await expect.poll(() => paused.textContent(), { timeout: 10_000 }).toMatch(/tries again by itself in \d+ s/)
    expect(await paused.textContent()).toContain('resumes once the endpoint answers 2xx')
    await shot(dashboard, '24-webhook-paused-countdown')
    await dashboard.setViewportSize(PHONE)
    await shot(dashboard, '24b-phone-webhook-paused-countdown')
    await dashboard.setViewportSize(DESKTOP)

    // A probe while it still fails: still paused, a new countdown. Then the endpoint recovers.
    await flaky.waitFor((requests) => requests.length > 10, 15_000)
    expect(await badge().textContent()).toBe('paused')
    healthy = true
    await expect.poll(() => badge().textContent(), { timeout: 20_000 }).toBe('active')
    await expect.poll(() => answered.length, { timeout: 15_000 }).toBe(10)
    expect(answered).toEqual(fired) // the oldest first, each once
    const happened = dashboard.getByRole('region', { name: 'What happened to it' })
    await expect.poll(() => happened.textContent(), { timeout: 10_000 }).toContain('Webhook resumed by itself')
    expect(await happened.textContent()).toContain(
      'It tried its oldest held delivery again and the endpoint answered 200.',
    )
    await shot(dashboard, '25-webhook-resumed-by-itself')

    // The webhook subscribed to relay notices heard of the pause and the resume, signed like any event.
    await expect
      .poll(() => alerts.requests.map((r) => (JSON.parse(r.body) as { type: string }).type), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['hookline.webhook.paused', 'hookline.webhook.resumed']))
    expect(alerts.requests[0]?.headers['webhook-signature']).toMatch(/^v1,/)
    const told = alerts.requests.map((r) => JSON.parse(r.body) as { type: string; data: { webhook: { id: string } } })
    expect(told.find((body) => body.type === 'hookline.webhook.resumed')?.data.webhook.id).toBe(id)

    // The event log and monitoring say the same, in words.
    await dashboard.goto(link('log'))
    await dashboard.getByLabel('Show', { exact: true }).selectOption('relay')
    const notices = dashboard.locator('.event-log > li')
    await expect.poll(() => notices.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4)
    const text = (await notices.allTextContents()).join('\n')
    expect(text).toContain('Webhook resumed by itself')
    expect(text).toContain('“Flaky CRM” stopped sending and holds its deliveries. 10 failed attempts in a row')
    expect(text).not.toContain('checkout-completed')
    await shot(dashboard, '26-event-log-relay-notices')
    await dashboard.goto(link('monitoring'))
    const card = dashboard.getByRole('region', { name: 'Relay notices' })
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('Webhook resumed by itself')
    await shot(dashboard, '27-monitoring-relay-notices')
    await dashboard.setViewportSize(PHONE)
    await shot(dashboard, '27b-phone-monitoring')
    await dashboard.goto(link('log'))
    await dashboard.locator('.event-log > li').first().waitFor()
    await shot(dashboard, '26b-phone-event-log')
    await dashboard.goto(link('webhooks'))
    await dashboard.getByRole('button', { name: 'New webhook' }).click()
    await shot(dashboard, '28b-phone-new-webhook')
    await dashboard.setViewportSize(DESKTOP)
    await shot(dashboard, '28-new-webhook')
    expect(refused).toEqual([])
  }, 90_000)
})
