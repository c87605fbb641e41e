import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { hasChromium, launchChromium } from './helpers/chromium.ts'
import { startTestRelay, type TestRelay } from './helpers/relay.ts'
import { serveStatic } from './helpers/static-server.ts'

// The stream as browsers consume it: Chromium's own EventSource, across origins, with ?key=, and
// its native reconnect (Last-Event-ID header) across a relay restart.
const dataDir = mkdtempSync(join(tmpdir(), 'hookline-stream-browser-'))
let relay: TestRelay | undefined
afterAll(async () => {
  await relay?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const PAGE = `<!doctype html><title>stream</title><script>
  window.received = {}
  window.listen = (url, session) => {
    window.received[session] = []
    const source = new EventSource(url)
    source.addEventListener('vars', (event) => window.received[session].push({ id: event.lastEventId, set: JSON.parse(event.data).set }))
  }
</script>`

describe.skipIf(!hasChromium && !process.env.CI)('the stream in Chromium', () => {
  it('updates variables across origins and resumes after a relay restart without loss', async () => {
    relay = await startTestRelay({ dataDir })
    const port = relay.port
    const { projectId, keys } = await relay.createProject()
    const { listener, secret } = (
      await relay.admin('POST', `/v1/projects/${projectId}/listeners`, {
        name: 'orders',
        set: { orderStatus: '$.status' },
        target: { session: '$.session' },
      })
    ).body
    const inbound = async (session: string, status: string) => {
      const text = JSON.stringify({ session, status })
      const headers = await sign(secret, newId('msg'), Math.floor(Date.now() / 1000), text)
      const res = await relay!.request(listener.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      })
      expect(res.status).toBe(202)
    }

    const site = await serveStatic({ pages: { '/': PAGE } })
    await using browser = await launchChromium()
    const page = await browser.newPage()
    await page.goto(site.url + '/')
    for (const session of ['ses_browser', 'ses_quiet']) {
      await page.evaluate(
        ([url, session]) => (window as any).listen(url, session),
        [relay.url + (await relay.streamPath(keys.test, session)), session],
      )
    }
    const received = (session: string) =>
      page.evaluate((session) => (window as any).received[session].map((e: any) => e.set.orderStatus), session)
    await inbound('ses_browser', 'one')
    await expect.poll(() => received('ses_browser')).toEqual(['one'])

    // Down and up again on the same port; frames sent before the browsers reconnect are replayed
    // from their Last-Event-ID: a vars frame's id, or, for the quiet session, the cursor sent on connect.
    await relay.close()
    relay = await startTestRelay({ dataDir, port })
    await inbound('ses_browser', 'two')
    await inbound('ses_browser', 'three')
    await inbound('ses_quiet', 'missed-while-away')
    await expect.poll(() => received('ses_browser'), { timeout: 15_000 }).toEqual(['one', 'two', 'three'])
    await expect.poll(() => received('ses_quiet'), { timeout: 15_000 }).toEqual(['missed-while-away'])
    await site.close()
  }, 45_000)
})
