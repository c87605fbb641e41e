// scripts/pack-check.mjs in Chromium: the built product UI (npm import, React) and a script-tag
// prototype (the tarball's dist/hookline.js), both against the relay installed from its tarball.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { cleanups } from './proc.mjs'

const requireFromRepo = createRequire(join(import.meta.dirname, '../../package.json'))

async function launch() {
  const { chromium } = requireFromRepo('playwright-core')
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
  cleanups.push(() => browser.close())
  return browser
}

async function openPage(browser, url) {
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(url)
  return { page, errors }
}

/** Waits until the element's text is exactly `text` (the page's globals: a string expression). */
function textIs(page, selector, text, timeout) {
  const expression = `document.querySelector(${JSON.stringify(selector)})?.textContent === ${JSON.stringify(text)}`
  return page.waitForFunction(expression, null, { timeout })
}

/** hl.devtools() mounts the panel from a chunk fetched only then, and nothing the page asked for is missing. */
async function opensDevtools(page, site, chunk) {
  const before = site.requests.length
  await page.click('#devtools')
  await page.waitForSelector('hookline-devtools', { state: 'attached', timeout: 10_000 })
  const later = site.requests.slice(before)
  if (!later.some(({ path, status }) => chunk.test(path) && status === 200))
    throw new Error(`hl.devtools() fetched no ${chunk} after the click (asked for ${JSON.stringify(later)})`)
  // The browser's own favicon.ico guess is not the page's.
  const missing = site.requests.filter(({ path, status }) => status !== 200 && path !== '/favicon.ico')
  if (missing.length) throw new Error(`the page asked for missing files: ${JSON.stringify(missing)}`)
}

/**
 * Drives both pages; resolves once every expected event has arrived as a webhook that
 * standardwebhooks verifies with the webhook's secret.
 */
export async function driveBrowsers({ app, prototype, relay, setup, endpoint, verifierFrom }) {
  const browser = await launch()
  const query = `?relay=${encodeURIComponent(relay)}&key=${encodeURIComponent(setup.key)}`

  const product = await openPage(browser, `${app.url}/${query}`)
  // The project's config reached the page: useVar (from @hookline/sdk/react) shows the default.
  await textIs(product.page, '#status', 'none', 15_000)
  await product.page.click('#add')
  await product.page.click('#pay')
  // checkout-completed sets orderStatus optimistically: React renders it from the store.
  await textIs(product.page, '#status', 'pending', 10_000)
  await opensDevtools(product.page, app, /^\/assets\/.+\.js$/)

  const proto = await openPage(browser, `${prototype.url}/`)
  await proto.page.waitForFunction('typeof window.hookline?.devtools === "function"', null, { timeout: 15_000 })
  await proto.page.click('#tap')
  // The live chunk (stream, frames, config) is loaded from beside hookline.js at start.
  await proto.page.waitForFunction('window.hookline.status.get().stream === "open"', null, { timeout: 15_000 })
  if (!prototype.requests.some(({ path, status }) => path === '/hookline-live.js' && status === 200))
    throw new Error(`the prototype did not load /hookline-live.js (asked for ${JSON.stringify(prototype.requests)})`)
  await opensDevtools(proto.page, prototype, /^\/hookline-devtools\.js$/)

  const expected = ['add-to-cart', 'checkout-completed', 'prototype-tap']
  const types = () => endpoint.received.map(({ body }) => JSON.parse(body).type)
  const deadline = Date.now() + 20_000
  while (!expected.every((type) => types().includes(type)) && Date.now() < deadline)
    await new Promise((done) => setTimeout(done, 100))
  const errors = [...product.errors, ...proto.errors]
  if (errors.length) throw new Error(`a page threw: ${errors.join('; ')}`)
  for (const type of expected)
    if (!types().includes(type)) throw new Error(`no "${type}" webhook arrived (got ${types().join(', ') || 'none'})`)
  const verifier = await verifierFrom(setup.secret)
  for (const { headers, body } of endpoint.received) verifier.verify(body, headers)
  return types()
}
