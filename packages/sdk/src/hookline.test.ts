import 'fake-indexeddb/auto'
import type { HooklineEvent } from '@hookline/protocol'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHookline } from './hookline.ts'
import type { Hookline } from './types.ts'

type Answer = (events: HooklineEvent[]) => { status: number; body: unknown }
const accept: Answer = (events) => ({
  status: 202,
  body: { accepted: events.map((e) => e.id), duplicates: [], rejected: [] },
})

let keyCount = 0
const instances: Hookline[] = []
function setup(
  options: { answer?: Answer; config?: unknown; html?: string; stream?: boolean; key?: string; taken?: string } = {},
) {
  document.body.innerHTML = options.html ?? ''
  const batches: HooklineEvent[][] = []
  const claims: string[] = []
  const tokensSent: Record<string, string>[] = []
  let configFetches = 0
  let answer = options.answer ?? accept
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    // Read at each request, so a test can change the project config under a running SDK.
    if (url.endsWith('/v1/config'))
      return Promise.resolve(
        (configFetches++, options.config ? Response.json(options.config) : new Response('{}', { status: 404 })),
      )
    if (url.endsWith('/v1/sessions')) {
      const { id } = JSON.parse(init.body as string) as { id: string }
      if (id === options.taken)
        return Promise.resolve(Response.json({ error: { code: 'session_taken' } }, { status: 409 }))
      claims.push(id)
      return Promise.resolve(Response.json({ id, token: `hlst_${id.slice(4).padEnd(43, 'x')}` }, { status: 201 }))
    }
    const sent = JSON.parse(init.body as string) as { events: HooklineEvent[]; sessionTokens: Record<string, string> }
    const events = sent.events
    tokensSent.push(sent.sessionTokens)
    batches.push(events)
    const { status, body } = answer(events)
    return Promise.resolve(Response.json(body, { status }))
  })
  const hl = createHookline({
    relay: 'http://relay.test',
    key: options.key ?? `pk_test_unit${++keyCount}`,
    stream: options.stream ?? false,
    config: options.config !== undefined,
    variables: { plan: 'free' },
  })
  instances.push(hl)
  return {
    hl,
    batches,
    claims,
    tokensSent,
    setAnswer: (next: Answer) => (answer = next),
    configFetches: () => configFetches,
  }
}
afterEach(() => {
  for (const hl of instances.splice(0)) hl.destroy()
  vi.unstubAllGlobals()
})
const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('createHookline', () => {
  it('throws a HooklineOptionsError for a bad option, before doing anything', () => {
    expect(() => createHookline({ relay: 'http://relay.test', key: 'nope' })).toThrow(/option "key"/)
  })

  it('track() returns an event id at once; flush() resolves once the relay acknowledged it', async () => {
    const { hl, batches } = setup()
    const firedAt = Date.now()
    const id = hl.track('checkout-completed', { total: 42 })
    expect(id).toMatch(/^evt_[0-9A-Z]{26}$/)
    await hl.flush()
    expect(batches).toHaveLength(1)
    expect(batches[0]![0]).toMatchObject({
      id,
      name: 'checkout-completed',
      sessionId: hl.sessionId,
      props: { total: 42 },
      vars: { plan: 'free' },
    })
    expect(batches[0]![0]!.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(Math.abs(Date.parse(batches[0]![0]!.ts) - firedAt)).toBeLessThan(1000)
    expect(hl.status.get().queued).toBe(0)
    const kinds = hl.log.get().map((e) => e.kind)
    expect(kinds).toEqual(expect.arrayContaining(['fired', 'queued', 'sent', 'acknowledged']))
  })

  it('track() never throws: a bad name, bad props or props that are not JSON end up in the log', async () => {
    const { hl, batches } = setup()
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(() => hl.track('Not A Name')).not.toThrow()
    expect(() => hl.track('ok', 5 as never)).not.toThrow()
    expect(() => hl.track('cyclic', circular as never)).not.toThrow()
    await hl.flush()
    expect(batches.flat().map((e) => e.name)).toEqual(['ok'])
    const rejected = hl.log.get().filter((e) => e.kind === 'rejected')
    expect(rejected).toHaveLength(2)
  })

  it('on() ignores a malformed trigger with a warning instead of throwing', () => {
    const { hl } = setup()
    expect(() => hl.on('a', null as never)).not.toThrow()
    expect(() => hl.on('a', { nope: 1 } as never)).not.toThrow()
    expect(() => hl.on('a', { tap: '##' })).not.toThrow()
  })

  it('keeps the session id in sessionStorage, so a second instance (a reload) reuses it', () => {
    const { hl } = setup()
    const again = setup()
    expect(again.hl.sessionId).toBe(hl.sessionId)
    expect(sessionStorage.getItem('hookline:session')).toBe(hl.sessionId)
  })

  it("saves the session's variables in IndexedDB, and a reload (a second instance) restores them", async () => {
    const { hl } = setup({ key: 'pk_test_saved' })
    hl.vars.setKey('orderStatus', 'shipped')
    hl.vars.setKey('plan', 'pro')
    await until(() => false, 100).catch(() => {}) // the save is one IndexedDB write, soon after
    hl.destroy()
    const again = setup({ key: 'pk_test_saved' })
    expect(again.hl.vars.get()).toEqual({ plan: 'free' }) // restored once IndexedDB answers
    await until(() => again.hl.vars.get().orderStatus === 'shipped')
    expect(again.hl.vars.get()).toEqual({ plan: 'pro', orderStatus: 'shipped' })
    // Another project's page (another key) has variables of its own.
    const other = setup({ key: 'pk_test_other' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(other.hl.vars.get()).toEqual({ plan: 'free' })
  })

  it('applies an optimistic update at once and rolls it back when the relay rejects the event', async () => {
    const { hl } = setup({
      answer: (events) => ({
        status: 202,
        body: {
          accepted: [],
          duplicates: [],
          rejected: events.map((e) => ({ id: e.id, error: { code: 'invalid_event', message: 'no' } })),
        },
      }),
    })
    hl.track('checkout-completed', { sku: 'A1' }, { optimistic: { orderStatus: 'pending', lastSku: '{{props.sku}}' } })
    expect(hl.vars.get()).toMatchObject({ orderStatus: 'pending', lastSku: 'A1' })
    await hl.flush()
    expect(hl.vars.get()).toEqual({ plan: 'free' })
    expect(hl.log.get().find((e) => e.kind === 'rolled-back')).toMatchObject({ vars: ['lastSku', 'orderStatus'] })
  })

  it('wires the project config: variable defaults, triggers and their optimistic updates', async () => {
    const { hl, batches } = setup({
      html: '<button id=add>Add</button>',
      config: {
        events: [{ name: 'add-to-cart', trigger: { tap: '#add' }, optimistic: { cartCount: 1 } }],
        variables: { plan: 'team', cartCount: 0 },
      },
    })
    await until(() => hl.vars.get().cartCount === 0)
    expect(hl.vars.get().plan).toBe('free') // given options win over config defaults
    document.querySelector('#add')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    expect(hl.vars.get().cartCount).toBe(1)
    await hl.flush()
    expect(batches.flat().map((e) => e.name)).toEqual(['add-to-cart'])
  })

  it('identify() attaches user and company with at most 10 props each', async () => {
    const { hl, batches } = setup()
    const props = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, i]))
    hl.identify({ id: 'u_1', props }, { id: 'c_1' })
    hl.track('a')
    hl.identify(null)
    hl.track('b')
    await hl.flush()
    const [a, b] = batches.flat()
    expect(Object.keys(a!.user!.props!)).toHaveLength(10)
    expect(a!.company).toEqual({ id: 'c_1' })
    expect(b!.user).toBeUndefined()
    expect(b!.company).toEqual({ id: 'c_1' })
  })

  it('keeps events queued while the relay fails and sends them once it answers', async () => {
    const { hl, batches, setAnswer } = setup({
      answer: () => ({ status: 503, body: { error: { code: 'unavailable', message: 'down' } } }),
    })
    hl.track('a')
    const flushed = hl.flush()
    await until(() => batches.length === 1)
    setAnswer(accept)
    await flushed // after a jittered 1 s backoff
    expect(batches).toHaveLength(2)
    expect(batches[1]![0]!.id).toBe(batches[0]![0]!.id)
    expect(hl.log.get().some((e) => e.kind === 'warning' && /503: down; retrying in/.test(e.message))).toBe(true)
  })

  it('destroy() removes every listener', () => {
    const { hl } = setup({ html: `<button id=b data-hl-event="tapped">b</button>` })
    let fired = 0
    hl.log.listen(() => void 0)
    const spy = vi.spyOn(hl, 'track')
    hl.on('tapped-too', { tap: '#b' })
    hl.destroy()
    document.querySelector('#b')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    fired += spy.mock.calls.length
    expect(fired).toBe(0)
  })
})

class FakeEventSource extends EventTarget {
  static last: FakeEventSource | undefined
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  constructor(readonly url: string) {
    super()
    FakeEventSource.last = this
  }
  close() {}
  emit(type: string, data: unknown, lastEventId = '') {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId }))
  }
}

describe('createHookline and its session', () => {
  it('claims its session before the first batch and sends the token with every batch', async () => {
    const { hl, claims, tokensSent } = setup()
    hl.track('checkout-completed')
    await hl.flush()
    expect(claims).toEqual([hl.sessionId])
    expect(tokensSent[0]).toEqual({ [hl.sessionId]: `hlst_${hl.sessionId.slice(4).padEnd(43, 'x')}` })
    hl.track('checkout-completed')
    await hl.flush()
    expect(claims).toHaveLength(1)
    expect(tokensSent[1]).toEqual(tokensSent[0])
  })

  it('starts a new session, and says so, when its session was claimed elsewhere', async () => {
    const taken = 'ses_01JDA3Z5M2K8Q4T9R7W6X1Y0TK'
    sessionStorage.setItem('hookline:session', taken)
    const { hl, claims } = setup({ taken })
    await until(() => hl.sessionId !== taken)
    expect(sessionStorage.getItem('hookline:session')).toBe(hl.sessionId)
    expect(hl.log.get().some((e) => e.kind === 'warning' && e.message.includes(`${taken} was claimed elsewhere`))).toBe(
      true,
    )
    hl.track('checkout-completed')
    await hl.flush()
    expect(claims.at(-1)).toBe(hl.sessionId)
  })
})

describe('createHookline and the stream', () => {
  it('opens the session stream; vars frames set variables, delivery frames feed the log, ack frames settle events', async () => {
    vi.stubGlobal('EventSource', FakeEventSource)
    FakeEventSource.last = undefined
    const { hl } = setup({ stream: true, answer: () => ({ status: 503, body: {} }) })
    // The stream opens once the session's saved variables are read and the session is claimed.
    await until(() => FakeEventSource.last !== undefined)
    const source = FakeEventSource.last!
    expect(source.url).toBe(
      `http://relay.test/v1/stream?session=${hl.sessionId}&key=${encodeURIComponent(`pk_test_unit${keyCount}`)}&token=hlst_${hl.sessionId.slice(4).padEnd(43, 'x')}`,
    )
    source.onopen?.()
    source.emit('vars', { set: { orderStatus: 'shipped' }, source: { kind: 'inbound', id: 'lst_1' } }, '5')
    expect(hl.vars.get().orderStatus).toBe('shipped')
    expect(sessionStorage.getItem(`hookline:last-event-id:${hl.sessionId}`)).toBe('5')

    const id = hl.track('checkout-completed')
    await until(() => hl.status.get().queued === 1)
    source.emit('ack', { ids: [id] }) // it left by beacon; the relay says it has it
    await until(() => hl.status.get().queued === 0)
    source.emit('delivery', {
      eventId: id,
      webhookId: 'wh_1',
      attempt: 1,
      status: 200,
      ok: true,
      latencyMs: 12,
      final: true,
    })
    await Promise.resolve()
    const kinds = hl.log.get().map((e) => e.kind)
    expect(kinds).toEqual(expect.arrayContaining(['vars', 'acknowledged', 'delivered']))
    expect(hl.log.get().find((e) => e.kind === 'delivered')).toMatchObject({
      eventId: id,
      webhookId: 'wh_1',
      status: 200,
      latencyMs: 12,
    })
    expect(hl.status.get().stream).toBe('open')
  })
})

describe('hl.devtools()', () => {
  it('loads @hookline/devtools lazily, mounts the panel, and destroy() removes it', async () => {
    const { hl } = setup()
    expect(document.querySelector('hookline-devtools')).toBeNull()
    await hl.devtools()
    await hl.devtools()
    expect(document.querySelectorAll('hookline-devtools')).toHaveLength(1)
    hl.destroy()
    expect(document.querySelector('hookline-devtools')).toBeNull()
  })
})

describe('project config changes under a running SDK', () => {
  let visibility: DocumentVisibilityState = 'visible'
  const show = () => {
    visibility = 'hidden'
    document.dispatchEvent(new Event('visibilitychange'))
    vi.setSystemTime(Date.now() + 6000) // past the 5 s between refetches
    visibility = 'visible'
    document.dispatchEvent(new Event('visibilitychange'))
  }
  const tap = (selector: string) =>
    document.querySelector(selector)!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
  // The log publishes once per microtask.
  const fired = async (hl: Hookline) => (
    await Promise.resolve(),
    hl.log.get().flatMap((e) => (e.kind === 'fired' ? [e.name] : []))
  )
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20))
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
  })
  afterEach(() => {
    vi.useRealTimers()
    delete (document as { visibilityState?: unknown }).visibilityState
  })
  const html =
    '<button id=add>Add</button><button id=old>Old</button><button id=new>New</button><button id=page>Page</button>'

  it('refetches GET /v1/config when the page shows again: new triggers fire, removed ones do not, hl.on() ones stay', async () => {
    const options = {
      html,
      config: {
        events: [
          { name: 'add-to-cart', trigger: { tap: '#add' } },
          { name: 'old-tap', trigger: { tap: '#old' } },
        ],
      } as unknown,
    }
    const { hl, configFetches } = setup(options)
    await until(() => configFetches() === 1)
    await settle()
    hl.on('page-tap', { tap: '#page' })
    options.config = {
      events: [
        { name: 'add-to-cart', trigger: { tap: '#add' } },
        { name: 'new-tap', trigger: { tap: '#new' } },
      ],
    }
    show()
    await until(() => configFetches() === 2)
    await settle()
    for (const id of ['#add', '#old', '#new', '#page']) tap(id)
    expect(await fired(hl)).toEqual(['add-to-cart', 'new-tap', 'page-tap'])
    await hl.flush() // hiding the page beacons what is queued, past the fetch stub

    show() // throttled: not again within 5 s
    visibility = 'hidden'
    document.dispatchEvent(new Event('visibilitychange'))
    visibility = 'visible'
    document.dispatchEvent(new Event('visibilitychange'))
    await settle()
    expect(configFetches()).toBe(3)
  })

  it('leaves one listener per trigger after several refetches, and follows changed optimistic updates', async () => {
    const a = { events: [{ name: 'add-to-cart', trigger: { tap: '#add' }, optimistic: { cartCount: 1 } }] }
    const b = {
      events: [
        { name: 'add-to-cart', trigger: { tap: '#add' }, optimistic: { cartCount: 2 } },
        { name: 'old-tap', trigger: { tap: '#old' } },
      ],
    }
    const options = { html, config: a as unknown }
    const { hl, configFetches } = setup(options)
    await until(() => configFetches() === 1)
    for (const next of [b, a, a, b, a, b]) {
      options.config = next
      const before = configFetches()
      show()
      await until(() => configFetches() === before + 1)
      await settle()
    }
    tap('#add')
    tap('#old')
    expect(await fired(hl)).toEqual(['add-to-cart', 'old-tap'])
    expect(hl.vars.get().cartCount).toBe(2)
    hl.track('add-to-cart') // the definition's optimistic update is the latest config's
    expect(hl.vars.get().cartCount).toBe(2)
    await hl.flush()
  })

  it('fills only variables without a value from the new defaults, without firing change triggers', async () => {
    const options = { html, config: { variables: { cartCount: 0 } } as unknown }
    const { hl, configFetches } = setup(options)
    await until(() => hl.vars.get().cartCount === 0)
    hl.vars.setKey('cartCount', 3)
    options.config = {
      events: [
        { name: 'theme-changed', trigger: { change: 'theme' } },
        { name: 'plan-changed', trigger: { change: 'plan' } },
      ],
      variables: { cartCount: 0, theme: 'dark', plan: 'team' },
    }
    show()
    await until(() => configFetches() === 2)
    await settle()
    expect(hl.vars.get()).toEqual({ plan: 'free', cartCount: 3, theme: 'dark' })
    expect(await fired(hl)).toEqual([])
  })

  it('refetches when the stream reopens after being down, not when it first opens', async () => {
    vi.stubGlobal('EventSource', FakeEventSource)
    const options = { html, config: { events: [] } as unknown, stream: true }
    FakeEventSource.last = undefined
    const { hl, configFetches } = setup(options)
    await until(() => configFetches() === 1 && FakeEventSource.last !== undefined)
    const source = FakeEventSource.last!
    source.onopen?.()
    await settle()
    expect(configFetches()).toBe(1)
    options.config = { events: [{ name: 'new-tap', trigger: { tap: '#new' } }] }
    source.onerror?.() // the browser reconnects by itself
    vi.setSystemTime(Date.now() + 6000)
    source.onopen?.()
    await until(() => configFetches() === 2)
    await settle()
    tap('#new')
    expect(await fired(hl)).toEqual(['new-tap'])
    await hl.flush()
  })
})
