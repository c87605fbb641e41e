// Debian's Chromium driven over its own DevTools pipe, with no domain enabled but the ones a figure
// reads (Runtime, Performance, Inspector). Playwright enables the Network domain on every page it
// drives, and with it on the renderer reports each request, its headers and its body to the client
// on the page's main thread: a `fetch` of a 13 KB batch then costs that thread 2–3× what it costs
// a page nobody is inspecting (BENCHMARKS.md, sdk). No user's page pays for an inspector, so the
// main-thread figures are taken here.
//
// Nothing is intercepted, so leaks are caught at the door instead: the browser's proxy is a local
// server that refuses every request it is handed. Chromium never proxies loopback, so only a
// request that tried to leave 127.0.0.1 reaches it. The browser's own update and sign-in checks
// (which Playwright's request events never showed) are refused too, but are not a page's leak.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { CHROMIUM_PATH, CHROMIUM_SWITCHES, hasChromium } from '../../test/helpers/chromium.ts'

type Json = Record<string, unknown>
interface Reply {
  id?: number
  sessionId?: string
  method?: string
  params?: Json
  result?: Json
  error?: { message: string }
}

/** One CDP connection over `--remote-debugging-pipe`: NUL-separated JSON on fds 3 (in) and 4 (out). */
class Pipe {
  #next = 0
  #waiting = new Map<number, { resolve: (result: Json) => void; reject: (error: Error) => void }>()
  #listeners = new Set<(message: Reply) => void>()
  #buffer = ''

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.setEncoding('utf8')
    output.on('data', (chunk: string) => {
      const parts = (this.#buffer + chunk).split('\0')
      this.#buffer = parts.pop()!
      for (const part of parts) this.#dispatch(JSON.parse(part) as Reply)
    })
  }

  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = ++this.#next
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject })
      this.input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`)
    })
  }

  on(listener: (message: Reply) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #dispatch(message: Reply): void {
    const waiting = message.id === undefined ? undefined : this.#waiting.get(message.id)
    if (waiting) {
      this.#waiting.delete(message.id!)
      if (message.error) waiting.reject(new Error(message.error.message))
      else waiting.resolve(message.result ?? {})
      return
    }
    for (const listener of this.#listeners) listener(message)
  }
}

export interface BarePage {
  /** Runs `fn(arg)` in the page and returns its (awaited, JSON-cloned) result, like Playwright's. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>>
  /** Resolves when `fn(arg)` is truthy in the page (polled every 20 ms); rejects after `timeoutMs`. */
  waitFor<A>(fn: (arg: A) => unknown, arg: A, timeoutMs: number): Promise<void>
  /** A real mouse click (pressed and released) at the middle of the first element `selector` matches. */
  click(selector: string): Promise<void>
  /** Chromium's TaskDuration for this page's main thread, in seconds. */
  taskSeconds(): Promise<number>
  /** Chromium's ThreadTime: the CPU time of this page's main thread, in seconds (no waits for a core). */
  threadSeconds(): Promise<number>
  /** Rejects when the tab's renderer crashes. */
  crashed: Promise<never>
  close(): Promise<void>
}

export interface BareBrowser {
  version: string
  /** A fresh browser context (its own IndexedDB) with one page loaded from `url`. */
  open(url: string): Promise<BarePage>
  /** Requests that tried to leave 127.0.0.1, by URL. */
  escaped: string[]
  close(): Promise<void>
}

// launchChromium's flags, and the ones Playwright adds to them (playwright-core's chromiumSwitches)
// that change what a page costs or what the browser sends by itself, so that both drivers run the
// same browser: no field trials, no background throttling, no startup traffic to Google.
const SWITCHES = [
  ...CHROMIUM_SWITCHES,
  '--disable-field-trial-config',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-back-forward-cache',
  '--disable-ipc-flooding-protection',
  '--disable-hang-monitor',
  '--disable-breakpad',
  '--disable-extensions',
  '--disable-default-apps',
  '--disable-component-extensions-with-background-pages',
  '--disable-dev-shm-usage',
  '--no-default-browser-check',
  '--no-service-autorun',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,HttpsUpgrades',
  '--enable-features=SkipListAccountsWithoutGaiaCookies',
]

const BROWSER_OWN_HOSTS = /^(update\.googleapis\.com|accounts\.google\.com|clients\d*\.google\.com)(:\d+)?$/

async function startLeakTrap(escaped: string[]): Promise<Server> {
  const refuse = (url: string) => {
    const host = url.includes('://') ? new URL(url).host : url
    if (!BROWSER_OWN_HOSTS.test(host)) escaped.push(url)
  }
  const trap = createServer((request, response) => {
    refuse(request.url ?? '?')
    response.writeHead(403).end()
  })
  trap.on('connect', (request: { url?: string }, socket: Socket) => {
    refuse(request.url ?? '?')
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
  })
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve))
  return trap
}

async function openPage(pipe: Pipe, url: string): Promise<BarePage> {
  const { browserContextId } = await pipe.send('Target.createBrowserContext', { disposeOnDetach: true })
  const { targetId } = await pipe.send('Target.createTarget', { url: 'about:blank', browserContextId })
  const { sessionId } = (await pipe.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string }
  const send = (method: string, params: Json = {}) => pipe.send(method, params, sessionId)
  let stopListening = () => {}
  const crashed = new Promise<never>((_, reject) => {
    stopListening = pipe.on((message) => {
      if (message.sessionId === sessionId && message.method === 'Inspector.targetCrashed')
        reject(new Error('the tab crashed'))
    })
  })
  crashed.catch(() => {})
  await send('Inspector.enable')
  await send('Performance.enable')
  const evaluate = async <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>> => {
    const reply = (await send('Runtime.evaluate', {
      expression: `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value?: unknown }; exceptionDetails?: { exception?: { description?: string }; text: string } }
    if (reply.exceptionDetails)
      throw new Error(reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text)
    return reply.result.value as Awaited<R>
  }
  const metric = async (name: string): Promise<number> => {
    const { metrics } = (await send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }
    return metrics.find((entry) => entry.name === name)?.value ?? 0
  }
  await send('Page.navigate', { url })
  // The navigation replaces the blank document; until its load event, ask again.
  for (;;) {
    const loaded = await evaluate(() => location.href !== 'about:blank' && document.readyState === 'complete').catch(
      () => false,
    )
    if (loaded) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return {
    evaluate,
    crashed,
    async waitFor(fn, arg, timeoutMs) {
      const deadline = Date.now() + timeoutMs
      while (!(await evaluate(fn, arg))) {
        if (Date.now() > deadline) throw new Error(`the page's condition was not met within ${timeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    async click(selector) {
      const { x, y } = await evaluate((query) => {
        const box = document.querySelector(query)!.getBoundingClientRect()
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
      }, selector)
      for (const type of ['mousePressed', 'mouseReleased'])
        await send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 })
    },
    taskSeconds: () => metric('TaskDuration'),
    threadSeconds: () => metric('ThreadTime'),
    async close() {
      stopListening()
      await pipe.send('Target.disposeBrowserContext', { browserContextId }).catch(() => {})
    },
  }
}

/** Launches headless Chromium with a fresh temporary profile and the flags this machine needs (as `launchChromium`). */
export async function launchBareChromium(): Promise<BareBrowser> {
  if (!hasChromium) throw new Error(`No browser at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium".`)
  const escaped: string[] = []
  const trap = await startLeakTrap(escaped)
  const profile = mkdtempSync(join(tmpdir(), 'hookline-bench-chromium-'))
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [
      ...SWITCHES,
      `--proxy-server=http://127.0.0.1:${(trap.address() as AddressInfo).port}`,
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  )
  const pipe = new Pipe(child.stdio[3] as Writable, child.stdio[4] as Readable)
  const { product } = (await pipe.send('Browser.getVersion')) as { product: string }
  return {
    version: product.replace(/^[^/]*\//, ''),
    escaped,
    open: (url) => openPage(pipe, url),
    async close() {
      await pipe.send('Browser.close').catch(() => {})
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve))
      trap.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
