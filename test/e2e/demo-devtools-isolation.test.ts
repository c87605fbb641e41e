import { execFileSync } from 'node:child_process'
import { mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from '../helpers/chromium.ts'
import { serveStatic, type StaticServer } from '../helpers/static-server.ts'
import { closeOpened } from '../helpers/close.ts'

// The devtools panel on a hostile page, in real Chromium: the host's CSS must not reach inside its
// Shadow DOM; the script-tag build must mount itself from `data-mount` alone, and be what the
// SDK's `hookline.devtools()` loads lazily.
const HOSTILE = `<!doctype html><html><head><style>
  * { font-family: "Comic Sans MS", cursive !important; color: red !important; font-size: 40px !important; }
  body { line-height: 5 !important; letter-spacing: 12px; }
  button, input, section, details, li { display: none !important; }
  hookline-devtools { opacity: .2; }
</style>
<script>
  // A stand-in for window.hookline: stores shaped like nanostores' (get, listen, subscribe).
  const store = (value) => { const fns = new Set(); return {
    get: () => value, listen: (fn) => (fns.add(fn), () => fns.delete(fn)), subscribe: (fn) => (fn(value), fns.add(fn), () => fns.delete(fn)),
    set: (next) => { value = next; fns.forEach((fn) => fn(value)) }, setKey(key, v) { this.set({ ...value, [key]: v }) } } }
  window.hookline = { sessionId: 'ses_hostile', vars: store({ plan: 'free' }),
    log: store([{ kind: 'fired', at: Date.now(), eventId: 'evt_1', name: 'checkout-completed', props: { total: 42 } }]),
    status: store({ online: true, queued: 2, evicted: 0, stream: 'open', storage: 'indexeddb', sender: true }) }
</script>
<script src="/hookline-devtools.js" data-mount></script>
</head><body><p>A page with unkind CSS.</p></body></html>`

// The real SDK (its relay is a closed loopback port: it stays offline) loading the panel lazily.
const SDK_PAGE = `<!doctype html><title>sdk</title>
<script src="/hookline.js" data-relay="http://127.0.0.1:9" data-key="pk_test_devtools"></script>
<button data-hl-event="add-to-cart">Add</button>`

describe.skipIf(!hasChromium && !process.env.CI)('devtools on a hostile page', () => {
  let out: string
  let site: StaticServer

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'hookline-devtools-'))
    execFileSync(
      process.execPath,
      [
        'node_modules/vite/bin/vite.js',
        'build',
        'packages/devtools',
        '--outDir',
        out,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      { stdio: 'pipe' },
    )
    // The SDK's script-tag build beside it, as a site serves them.
    execFileSync(process.execPath, ['packages/sdk/scripts/build.mjs', '--no-types'], {
      stdio: 'pipe',
      env: { ...process.env, HOOKLINE_SDK_OUT: join(out, 'sdk') },
    })
    renameSync(join(out, 'sdk/hookline.js'), join(out, 'hookline.js'))
    return serveStatic({ root: out, pages: { '/': HOSTILE, '/sdk': SDK_PAGE } }).then((server) => void (site = server))
  }, 60_000)
  afterAll(async () => {
    await closeOpened(site)
    rmSync(out, { recursive: true, force: true })
  })

  it('keeps its own fonts, colours and layout, and mounts from data-mount', async () => {
    await using browser = await launchChromium()
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(site.url + '/')
    const panel = page.locator('hookline-devtools section[aria-label="Hookline devtools"]')
    await panel.waitFor()
    const title = panel.locator('.row .title').first()
    expect(await title.textContent()).toBe('checkout-completed')
    const style = await title.evaluate((element) => {
      const computed = getComputedStyle(element)
      return {
        color: computed.color,
        size: computed.fontSize,
        family: computed.fontFamily,
        display: getComputedStyle(element.closest('li')!).display,
        panelBackground: getComputedStyle(element.closest('section')!).backgroundColor,
      }
    })
    // The design tokens reach inside the shadow root: --text (#1d2330) and --surface (#ffffff).
    expect(style.color).toBe('rgb(29, 35, 48)')
    expect(style.panelBackground).toBe('rgb(255, 255, 255)')
    expect(style.size).toBe('13px')
    expect(style.family).not.toMatch(/Comic/)
    expect(style.display).not.toBe('none')
    const box = (await panel.boundingBox())!
    expect(box.width).toBeGreaterThan(400)
    expect(box.width).toBeLessThan(460)

    // Variables edited in place reach the store.
    await panel.getByRole('tab', { name: /Variables/ }).click()
    await panel.getByLabel('plan').fill('pro')
    await panel.getByLabel('plan').press('Enter')
    expect(
      await page.evaluate(() => (window as unknown as { hookline: { vars: { get(): unknown } } }).hookline.vars.get()),
    ).toEqual({ plan: 'pro' })
    await page.screenshot({ path: join(process.cwd(), 'test-results/demo/devtools-hostile-page.png') })
  })

  it('is what hookline.devtools() loads lazily from beside hookline.js in the script-tag build', async () => {
    await using browser = await launchChromium()
    const page = await browser.newPage()
    await page.goto(site.url + '/sdk')
    await page.waitForFunction(
      () => typeof (window as unknown as { hookline?: { devtools?: unknown } }).hookline?.devtools === 'function',
    )
    expect(
      await page.evaluate(() => typeof (window as unknown as { HooklineDevtools?: unknown }).HooklineDevtools),
    ).toBe('undefined')
    await page.getByRole('button', { name: 'Add' }).click()
    await page.evaluate(() => (window as unknown as { hookline: { devtools(): Promise<void> } }).hookline.devtools())
    const panel = page.locator('hookline-devtools section[aria-label="Hookline devtools"]')
    await panel.waitFor()
    await expect
      .poll(() => panel.locator('.row').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/fired.*add-to-cart/i)]))
    expect(await panel.locator('.status').textContent()).toMatch(/queued/)
  })
})
