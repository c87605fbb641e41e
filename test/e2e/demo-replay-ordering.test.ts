import { WEBHOOK_RETRY, WEBHOOK_TIMEOUT_MS, type Webhook } from '@hookline/protocol'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.ts'
import { DESKTOP, PHONE, useDemo } from './demo-fixture.ts'
import { hasChromium } from '../helpers/chromium.ts'

// Replay and per-visitor order, set and read in the dashboard in real Chromium, every event fired
// by the SDK in the open prototype (one visitor): "Send past events again" catches a webhook
// created after the events up, and says what it queued and skipped; "Keep each visitor's events
// in order" holds later events behind a failing one until its retries run out, and the log says so.
// Its tries and waits, and then its timeout, are set in the form and read back from the relay.
describe.skipIf(!hasChromium && !process.env.CI)('replay and ordering in the dashboard', () => {
  const e2e = useDemo({ name: 'replay', stepMs: 300, dashboard: { bypassCSP: true }, prototype: true })
  const { link, shot, endpoint, fire } = e2e
  let dashboard: Page
  beforeAll(() => void ({ dashboard } = e2e))

  /** No serious or critical axe-core violation on what the page shows now. */
  const axeClean = async () => expect(await seriousViolations(dashboard)).toEqual([])
  const idOf = (body: string) => (JSON.parse(body) as { id: string }).id
  const eventIds = async () =>
    (await e2e.admin<{ events: { id: string }[] }>('/events?limit=100')).events.map((event) => event.id)

  /** The webhook as the relay holds it, read through the admin API. */
  const stored = async (id: string) => (await e2e.admin<{ webhook: Webhook }>(`/webhooks/${id}`)).webhook

  async function createWebhook(
    name: string,
    url: string,
    ordered = false,
    retry?: { tries: string; waits: string },
  ): Promise<string> {
    await dashboard.goto(link('webhooks'))
    await dashboard.getByRole('button', { name: 'New webhook' }).click()
    await dashboard.getByLabel('Name', { exact: true }).fill(name)
    await dashboard.getByLabel('Endpoint URL').fill(url)
    if (ordered) await dashboard.getByRole('checkbox', { name: "Keep each visitor's events in order" }).check()
    if (retry) {
      await dashboard.getByLabel('Tries in all').fill(retry.tries)
      await dashboard.getByLabel('Wait before each new try').fill(retry.waits)
    }
    await dashboard.getByRole('button', { name: 'Create webhook' }).click()
    await dashboard.getByRole('heading', { name: /Signing secret/ }).waitFor()
    return decodeURIComponent(new URL(dashboard.url()).hash.split('/')[2] ?? '')
  }

  it('"Send past events again" sends a late webhook what it missed, oldest first, and says what it skipped', async () => {
    const fired = [await fire('checkout-completed', { total: 11 }), await fire('checkout-completed', { total: 12 })]
    await expect.poll(eventIds, { timeout: 10_000 }).toEqual(expect.arrayContaining(fired))
    const target = await endpoint()
    const lateId = await createWebhook('Late CRM', `${target.url}/late`)
    // Left as the form showed them: the relay's defaults, as the protocol states them.
    expect(await stored(lateId)).toMatchObject({
      timeoutMs: WEBHOOK_TIMEOUT_MS.default,
      retry: { maxAttempts: WEBHOOK_RETRY.maxAttempts.default, scheduleMs: null },
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(target.requests).toHaveLength(0) // created after the events: nothing on its own

    const panel = dashboard.getByRole('form', { name: 'Send past events again' })
    await panel.getByRole('button', { name: 'Send past events again' }).click()
    const said = panel.getByRole('status')
    await expect
      .poll(() => said.textContent(), { timeout: 10_000 })
      .toBe('2 past events queued to send again, oldest first.')
    await target.waitFor(2)
    expect(target.requests.map((r) => idOf(r.body))).toEqual(fired)
    await expect
      .poll(() => dashboard.locator('.delivery[data-status="succeeded"]').count(), { timeout: 10_000 })
      .toBe(2)

    // Again: both were delivered, so nothing goes, and it says why; unless asked to include them.
    await panel.getByRole('button', { name: 'Send past events again' }).click()
    await expect
      .poll(() => said.textContent(), { timeout: 10_000 })
      .toBe('Nothing to send again. Skipped: 2 were delivered already.')
    await panel.getByRole('checkbox', { name: 'Also the ones the endpoint already received' }).check()
    await panel.getByRole('button', { name: 'Send past events again' }).click()
    await expect.poll(() => said.textContent(), { timeout: 10_000 }).toContain('2 past events queued')
    await target.waitFor(4)
    expect(target.requests.map((r) => idOf(r.body))).toEqual([...fired, ...fired])
    await axeClean()
    await shot(dashboard, '30-replay')
    await dashboard.setViewportSize(PHONE)
    await shot(dashboard, '30b-phone-replay')
    await dashboard.setViewportSize(DESKTOP)
  }, 60_000)

  it("keeps one visitor's events in order behind a failing one, then marks it as overtaken in plain words", async () => {
    let first: string | undefined
    const target = await endpoint((request) => (idOf(request.body) === first ? { status: 503 } : { status: 200 }))
    // Two attempts 1.5 s apart, so the lane's wait shows: set in the form, read back from the relay.
    const id = await createWebhook('Ordered CRM', `${target.url}/ordered`, true, { tries: '2', waits: '1.5 s' })
    const settings = dashboard.getByRole('region', { name: 'Settings' })
    expect(await settings.textContent()).toContain("Each visitor's events arrive in the order they happened")
    expect(await settings.textContent()).toContain('Tries again after 1.5 s (2 tries in all)')
    expect((await stored(id)).retry).toEqual({ maxAttempts: 2, scheduleMs: [1500] })

    first = await fire('checkout-completed', { total: 21 })
    const later = [await fire('checkout-completed', { total: 22 }), await fire('checkout-completed', { total: 23 })]
    await target.waitFor(1)
    await new Promise((resolve) => setTimeout(resolve, 700))
    // The failing head holds its lane: the later two wait.
    expect(target.requests.map((r) => idOf(r.body))).toEqual([first])
    await target.waitFor(4, 15_000)
    expect(target.requests.map((r) => idOf(r.body))).toEqual([first, first, ...later])

    const overtaken = dashboard.locator('.delivery[data-status="failed"]')
    await expect
      .poll(() => overtaken.textContent(), { timeout: 10_000 })
      .toContain('later events went ahead of it, because it failed')
    expect(await dashboard.locator('.delivery[data-status="succeeded"] .out-of-order').count()).toBe(0)
    await overtaken.locator('.delivery-line').click()
    await overtaken.getByText("Its retries ran out, so this visitor's later events went ahead of it.").waitFor()
    await axeClean()
    await shot(dashboard, '31-delivery-out-of-order')
    await dashboard.setViewportSize(PHONE)
    await shot(dashboard, '31b-phone-delivery-out-of-order')
    await dashboard.setViewportSize(DESKTOP)

    // Redelivered, it reaches the endpoint after the later ones, still marked.
    first = undefined
    await overtaken.getByRole('button', { name: 'Redeliver' }).click()
    await target.waitFor(5)
    expect(idOf(target.requests[4]?.body ?? '')).toBe(target.requests[0] && idOf(target.requests[0].body))

    // Edit turns it off, in words; a timeout the relay would refuse is said beside its field, and
    // one it takes is saved and read back.
    await dashboard.getByRole('button', { name: 'Edit' }).click()
    const box = dashboard.getByRole('checkbox', { name: "Keep each visitor's events in order" })
    expect(await box.isChecked()).toBe(true)
    await box.uncheck()
    const timeout = dashboard.getByLabel('Wait for an answer')
    expect(await timeout.inputValue()).toBe('10')
    expect(await dashboard.getByLabel('Wait before each new try').inputValue()).toBe('1.5 s')
    await timeout.fill('45')
    await dashboard.getByRole('button', { name: 'Save settings' }).click()
    await dashboard.getByText('Wait at most 30 seconds for an answer: 45 is longer.').first().waitFor()
    expect(await timeout.getAttribute('aria-invalid')).toBe('true')
    await axeClean()
    await shot(dashboard, '31c-webhook-timeout-refused')
    await dashboard.setViewportSize(PHONE)
    await shot(dashboard, '31d-phone-webhook-timeout-refused')
    await dashboard.setViewportSize(DESKTOP)
    expect((await stored(id)).timeoutMs).toBe(10_000)
    await timeout.fill('20')
    await dashboard.getByRole('button', { name: 'Save settings' }).click()
    await expect
      .poll(() => settings.textContent(), { timeout: 10_000 })
      .toContain('Events go out as soon as they can, in any order')
    expect(await settings.textContent()).toContain('Waits for an answer20 s')
    expect(await stored(id)).toMatchObject({
      ordering: 'none',
      timeoutMs: 20_000,
      retry: { maxAttempts: 2, scheduleMs: [1500] },
    })
  }, 60_000)

  it('the event log says "held" where the relay holds a delivery, as the relay reports it', async () => {
    const target = await endpoint()
    await createWebhook('Held CRM', `${target.url}/held`)
    await dashboard.getByRole('button', { name: 'Pause', exact: true }).click()
    await expect.poll(() => dashboard.locator('h1 .badge').textContent()).toBe('paused')
    const event = await fire('checkout-completed', { total: 31 })
    await dashboard.getByRole('link', { name: /Event log/ }).click()
    const line = dashboard.locator('.event-log > li', { hasText: event })
    await line.waitFor({ timeout: 10_000 })
    if (!(await line.locator('details').getAttribute('open'))) await line.locator('summary').click()
    const outcome = line.locator('.outcomes li', { hasText: 'Held CRM' })
    await expect.poll(() => outcome.textContent(), { timeout: 10_000 }).toContain('held')
    expect(await outcome.textContent()).toContain('waiting: the webhook is paused')
    const summary = (await line.locator('summary').textContent()) ?? ''
    expect(summary).toContain('1 held')
    expect(summary).not.toContain('pending')
    expect(target.requests).toHaveLength(0)
    await axeClean()
    await shot(dashboard, '32-event-log-held')
  }, 60_000)

  it("erases a visitor's data from the event log, after a confirmation that says what goes, and shows the counts", async () => {
    const event = await fire('checkout-completed', { total: 41 })
    await dashboard.goto(link('log'))
    const line = dashboard.locator('.event-log > li', { hasText: event })
    await line.waitFor({ timeout: 10_000 })
    if (!(await line.locator('details').getAttribute('open'))) await line.locator('summary').click()
    const { events } = await e2e.admin<{
      events: { id: string; sessionId: string; deliveries: { pending: number; held: number } }[]
    }>('/events?limit=100')
    const session = events.find((entry) => entry.id === event)?.sessionId ?? ''
    const ofSession = events.filter((entry) => entry.sessionId === session).length
    // Waiting deliveries of the session: those a paused webhook (Held CRM, when run in full) holds.
    const waiting = events
      .filter((entry) => entry.sessionId === session)
      .reduce((sum, entry) => sum + entry.deliveries.pending + entry.deliveries.held, 0)
    expect(ofSession).toBeGreaterThan(1)

    await axeClean()
    // Said no to: nothing goes.
    const asked: string[] = []
    dashboard.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.dismiss()
    })
    await line.getByRole('button', { name: "Erase this visitor's data" }).click()
    await expect.poll(() => asked.length).toBe(1)
    expect(asked[0]).toContain(`Erase the data of this visitor's session (${session})?`)
    expect(asked[0]).toContain('deletes their events and stored variables')
    expect(asked[0]).toContain('It cannot be undone.')
    expect(await eventIds()).toContain(event)

    dashboard.once('dialog', (dialog) => void dialog.accept())
    await line.getByRole('button', { name: "Erase this visitor's data" }).click()
    const said = dashboard.getByRole('status').filter({ hasText: 'Erased' })
    await said.waitFor({ timeout: 10_000 })
    expect(await said.textContent()).toMatch(
      new RegExp(
        `^Erased this visitor's session \\(${session}\\): ${ofSession} events deleted, the bodies of \\d+ attempts? wiped`,
      ),
    )
    expect(await said.textContent()).toContain(
      `${waiting} waiting ${waiting === 1 ? 'delivery' : 'deliveries'} cancelled.`,
    )
    expect(await eventIds()).not.toContain(event)
    await expect.poll(() => dashboard.locator('.event-log > li', { hasText: event }).count()).toBe(0)
    await axeClean()
    await shot(dashboard, '33-event-log-erased')
    await dashboard.setViewportSize(PHONE)
    await shot(dashboard, '33b-phone-event-log-erased')
    // Nothing on the phone is wider than the screen (the session id is one long word).
    expect(await dashboard.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await dashboard.setViewportSize(DESKTOP)
  }, 60_000)
})
