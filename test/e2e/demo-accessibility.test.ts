import { describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.ts'
import { DESKTOP, PHONE, useDemo } from './demo-fixture.ts'
import { hasChromium } from '../helpers/chromium.ts'

// axe-core in real Chromium over every dashboard page, at desktop and phone sizes: no serious or
// critical violation (labels, contrast, roles, names), and every control reachable from the keyboard.
const SIZES = { desktop: DESKTOP, phone: PHONE }

describe.skipIf(!hasChromium && !process.env.CI)('the dashboard, for everyone', () => {
  const e2e = useDemo({ name: 'a11y', stepMs: 300 })
  const { link } = e2e

  it('has no serious or critical axe-core violation on any page, at desktop and phone sizes', async () => {
    // A delivery, so the log and the charts have something in them; then the pages, with their
    // forms and details open where a designer opens them.
    const { demo, browser } = e2e
    const admin = (path: string) =>
      fetch(`${demo.relay.url}/v1/projects/${demo.project.projectId}/webhooks/${demo.project.webhookId}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.relay.adminToken}` },
      })
    await admin('test')
    // A pause and a resume, so relay notices show in the log, on the webhook and in monitoring.
    await admin('pause')
    await admin('resume')
    const found: string[] = []
    for (const [size, viewport] of Object.entries(SIZES)) {
      // axe-core goes in as an inline script, which the dashboard's CSP rightly refuses.
      const page = await browser.newPage({ viewport, bypassCSP: true })
      const check = async (name: string) => {
        for (const violation of await seriousViolations(page)) found.push(`${size} ${name}: ${violation}`)
      }
      await page.goto(link('events'))
      await page.getByRole('heading', { name: 'Named events' }).waitFor()
      await check('events')
      await page.goto(link('webhooks'))
      await page.getByRole('button', { name: 'New webhook' }).click()
      await page.getByRole('heading', { name: 'New webhook' }).waitFor()
      await check('webhooks, new webhook form')
      await page.goto(link(`webhooks/${demo.project.webhookId}`))
      await page.locator('.delivery').first().waitFor()
      await page.getByRole('button', { name: 'Send test' }).click()
      await page.locator('.test-result').waitFor()
      await page.getByRole('button', { name: 'Rotate secret' }).click()
      await page.locator('.delivery-line').first().click()
      await page.locator('.attempts').first().waitFor()
      await page.locator('.notices li').first().waitFor()
      await check('webhook detail')
      await page.getByRole('button', { name: 'Edit', exact: true }).click()
      await page.getByLabel('After a pause for failures, try again by itself').waitFor()
      await check('webhook settings form')
      await page.goto(link('listeners'))
      await page.getByRole('heading', { name: 'Fulfillment updates' }).waitFor()
      await check('listeners')
      await page.goto(link('log'))
      await page.locator('.event-log .notice-line').first().waitFor()
      await page.locator('.event-log .notice-line').first().click()
      await check('event log')
      await page.goto(link('monitoring'))
      await page.getByRole('heading', { name: 'Attempt success rate' }).waitFor()
      await page.locator('.notices li').first().waitFor()
      await check('monitoring')
      await page.close()
    }
    expect(found).toEqual([])
  }, 120_000)

  it('reaches every control of a page from the keyboard, each with a name', async () => {
    const { demo, browser } = e2e
    const page = await browser.newPage({ viewport: SIZES.desktop })
    await page.goto(link(`webhooks/${demo.project.webhookId}`))
    await page.locator('.delivery').first().waitFor()
    const controls = await page.locator('main button:visible, main a[href]:visible, main input:visible').count()
    const reached = new Set<string>()
    for (let i = 0; i < controls + 10; i++) {
      await page.keyboard.press('Tab')
      const focused = await page.evaluate(() => {
        const element = document.activeElement
        if (!element || element === document.body) return null
        const name = element.getAttribute('aria-label') ?? element.textContent.trim()
        const label = (element as HTMLInputElement).labels?.[0]?.textContent ?? ''
        return `${element.tagName} ${name || label}`
      })
      if (focused) reached.add(focused)
    }
    for (const name of ['BUTTON Send test', 'BUTTON Pause', 'BUTTON Edit', 'BUTTON Rotate secret', 'A Webhooks'])
      expect([...reached]).toContain(name)
    expect([...reached].filter((entry) => /^\w+ $/.test(entry))).toEqual([])
    await page.close()
  }, 60_000)
})
