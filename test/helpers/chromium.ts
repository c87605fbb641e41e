import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium; nothing may download a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The flags this machine needs: headless, and no background networking (outside loopback is closed). */
export const CHROMIUM_SWITCHES = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const

/** True when the browser is installed, so e2e suites can say why they skip outside CI. */
export const hasChromium = existsSync(CHROMIUM_PATH)

/**
 * Launches headless Chromium with the flags this machine needs (no background networking: the
 * network outside loopback is closed) and a fresh temporary profile
 * (Playwright makes one per launch and removes it on close).
 */
export async function launchChromium(): Promise<Browser & { [Symbol.asyncDispose](): Promise<void> }> {
  if (!hasChromium) throw new Error(`No browser at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium".`)
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_SWITCHES],
  })
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() })
}
