import { describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from './helpers/chromium.ts'
import { serveStatic } from './helpers/static-server.ts'

// The browser every e2e suite drives: real Chromium with real IndexedDB on an http page.
describe.skipIf(!hasChromium && !process.env.CI)('test browser', () => {
  it('opens a served page with a working IndexedDB', async () => {
    const site = await serveStatic({ pages: { '/': '<!doctype html><title>t</title><p id=p>hi</p>' } })
    await using browser = await launchChromium()
    const page = await browser.newPage()
    await page.goto(site.url + '/')
    const stored = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('probe', 1)
          open.onupgradeneeded = () => open.result.createObjectStore('s')
          open.onerror = () => reject(open.error ?? new Error('IndexedDB did not open.'))
          open.onsuccess = () => {
            const tx = open.result.transaction('s', 'readwrite')
            tx.objectStore('s').put('kept', 'k')
            tx.oncomplete = () => {
              const get = open.result.transaction('s').objectStore('s').get('k')
              get.onsuccess = () => resolve(get.result as string)
            }
          }
        }),
    )
    expect(stored).toBe('kept')
    await site.close()
  })
})
