import type { Attempt, Delivery, EventLogEntry } from '@hookline/protocol'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.ts'
import { DESKTOP, PHONE, sdkStarted, useDemo, type DemoFixture } from './demo-fixture.ts'
import { hasChromium } from '../helpers/chromium.ts'

// Erasing a user, in real Chromium: two people use the prototype, one of them in two sessions
// (two browsers), each identified through the SDK; every order goes to the seeded mock webhook.
// A designer erases one user from the event log, and the relay's store, read back through the
// admin API, no longer holds that user's events nor the bodies sent for them, in either of their
// sessions, nor what those sessions sent before the user was identified (no user id), while the
// other user's events, anonymous ones included, and attempt bodies are untouched.
const ERASED = 'usr_ada'
const KEPT = 'usr_grace'

describe.skipIf(!hasChromium && !process.env.CI)('erasing a user in the dashboard', () => {
  const e2e = useDemo({ name: 'erase-user', stepMs: 300, dashboard: { bypassCSP: true } })
  const { link, shot, admin } = e2e
  let demo: DemoFixture['demo']
  let dashboard: Page
  beforeAll(() => void ({ demo, dashboard } = e2e))

  const eventLog = async () => (await admin<{ events: EventLogEntry[] }>('/events?limit=100')).events
  const userOf = (entry: EventLogEntry) => (entry.event as { user?: { id?: string } }).user?.id
  const mockDeliveries = async () =>
    (await admin<{ deliveries: Delivery[] }>(`/webhooks/${demo.project.webhookId}/deliveries?limit=100`)).deliveries
  const attemptsOf = async (delivery: Delivery) =>
    (
      await admin<{ delivery: { attempts: Attempt[] } }>(
        `/webhooks/${demo.project.webhookId}/deliveries/${delivery.id}`,
      )
    ).delivery.attempts

  /** A person in a browser of their own (a session of its own), identified through the SDK. */
  async function visitor(userId: string) {
    // Closed with the browser, after the file.
    const context = await e2e.browser.newContext({ viewport: PHONE })
    const page = await context.newPage()
    await page.goto(`${demo.url}/prototype/#product`)
    await sdkStarted(page)
    // A look at the basket before signing in: an event with no user id, in this session.
    await page.evaluate(() =>
      (window as unknown as { hookline: { track(n: string, p: object): string } }).hookline.track(
        'checkout-completed',
        { total: 0 },
      ),
    )
    await page.evaluate(
      (id) => (window as unknown as { hookline: { identify(user: object): void } }).hookline.identify({ id }),
      userId,
    )
    /** Places an order through the SDK, as the pay button would; returns the event's id. */
    return (total: number) =>
      page.evaluate(
        (total) =>
          (window as unknown as { hookline: { track(n: string, p: object): string } }).hookline.track(
            'checkout-completed',
            { total },
          ),
        total,
      )
  }

  it("erases one user's events and attempt bodies in every session of theirs, and leaves another user's", async () => {
    const [adaHere, adaThere, grace] = [await visitor(ERASED), await visitor(ERASED), await visitor(KEPT)]
    const adaOrders = [await adaHere(51), await adaThere(52)]
    const graceOrder = await grace(53)
    const ordered = [...adaOrders, graceOrder]
    // Each order stored and delivered to the mock service, so there are attempt bodies to wipe.
    await expect
      .poll(
        async () =>
          (await mockDeliveries()).filter((d) => ordered.includes(d.eventId ?? '') && d.status === 'succeeded').length,
        { timeout: 15_000 },
      )
      .toBe(3)
    const before = await eventLog()
    const adaSessions = new Set(before.filter((entry) => adaOrders.includes(entry.id)).map((entry) => entry.sessionId))
    expect(adaSessions.size).toBe(2) // one user, two sessions
    const ofAda = before.filter((entry) => userOf(entry) === ERASED)
    const ofGrace = before.filter((entry) => userOf(entry) === KEPT)
    // What Ada's sessions sent before `identify` carries no user id, and is hers too (docs/api.md).
    const anonymous = before.filter((entry) => userOf(entry) === undefined && !entry.name.startsWith('hookline.'))
    const anonymousOfAda = anonymous.filter((entry) => adaSessions.has(entry.sessionId))
    const anonymousElsewhere = anonymous.filter((entry) => !adaSessions.has(entry.sessionId))
    expect(anonymousOfAda.length).toBeGreaterThanOrEqual(2) // one before identify in each of her sessions
    expect(anonymousElsewhere.length).toBeGreaterThanOrEqual(1) // Grace's, before identify
    expect(ofGrace.map((entry) => entry.id)).toContain(graceOrder)
    const graceDelivery = (await mockDeliveries()).find((d) => d.eventId === graceOrder)!
    const graceAttempts = await attemptsOf(graceDelivery)
    expect(graceAttempts[0]?.request.body).toContain(graceOrder)

    // The designer opens one of Ada's orders in the event log and erases her, after the question.
    await dashboard.goto(link('log'))
    const line = dashboard.locator('.event-log > li', { hasText: adaOrders[0] })
    await line.waitFor({ timeout: 10_000 })
    if (!(await line.locator('details').getAttribute('open'))) await line.locator('summary').click()
    const asked: string[] = []
    dashboard.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.accept()
    })
    await line.getByRole('button', { name: `Erase everything of user ${ERASED}` }).click()
    const said = dashboard.getByRole('status').filter({ hasText: 'Erased' })
    await said.waitFor({ timeout: 10_000 })
    expect(asked).toEqual([expect.stringContaining(`Erase the data of the user ${ERASED}, in every session?`)])
    expect(asked[0]).toContain('before they were identified')
    expect(await said.textContent()).toMatch(
      new RegExp(
        `^Erased the user ${ERASED}, in every session: ${ofAda.length + anonymousOfAda.length} events deleted, the bodies of [1-9]\\d* attempts? wiped`,
      ),
    )

    // The relay's store, read back: none of Ada's events in either session, nor what was sent for them.
    const after = await eventLog()
    expect(after.filter((entry) => userOf(entry) === ERASED)).toEqual([])
    for (const order of adaOrders) expect(after.map((entry) => entry.id)).not.toContain(order)
    for (const entry of anonymousOfAda) expect(after.map((kept) => kept.id)).not.toContain(entry.id)
    for (const entry of anonymousElsewhere) expect(after.map((kept) => kept.id)).toContain(entry.id)
    for (const delivery of (await mockDeliveries()).filter((d) => adaOrders.includes(d.eventId ?? '')))
      for (const attempt of await attemptsOf(delivery)) {
        expect(attempt.request.body).toBe('')
        expect(attempt.responseBody).toBeNull()
      }
    // Grace's events and the bodies sent for her are as they were.
    expect(after.filter((entry) => userOf(entry) === KEPT)).toEqual(ofGrace)
    expect(await attemptsOf(graceDelivery)).toEqual(graceAttempts)

    // The dashboard agrees: Ada's lines leave the log, Grace's stays.
    await expect.poll(() => dashboard.locator('.event-log > li', { hasText: adaOrders[1] }).count()).toBe(0)
    expect(await dashboard.locator('.event-log > li', { hasText: graceOrder }).count()).toBe(1)
    expect(await seriousViolations(dashboard)).toEqual([])
    await shot(dashboard, '34-event-log-user-erased')
    await dashboard.setViewportSize(PHONE)
    await shot(dashboard, '34b-phone-event-log-user-erased')
    expect(await dashboard.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await dashboard.setViewportSize(DESKTOP)
  }, 90_000)
})
