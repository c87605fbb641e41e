import type { EventDefinition, Json } from '@hookline/protocol'
import { atom, map } from 'nanostores'
import { undo, type Cleanups } from './cleanups.ts'
import type { DevtoolsLoader } from './devtools/loader.ts'
import { reasonOf } from './errors.ts'
import { followConfig } from './live/config.ts'
import { frameHandlers } from './live/frames.ts'
import { createOptimistic } from './live/optimistic.ts'
import { saveVars } from './live/saved-vars.ts'
import { openStream, type Stream } from './live/stream.ts'
import { createLog } from './log.ts'
import { normalizeOptions, type HooklineOptions } from './options.ts'
import { watchLifecycle } from './page/lifecycle.ts'
import { createDom } from './page/dom.ts'
import { wirePage } from './page/page.ts'
import { createScreens } from './page/screens.ts'
import type { Triggers } from './page/triggers.ts'
import { isOnline } from './send/online.ts'
import { createOutbox } from './send/outbox.ts'
import { createTransport } from './send/transport.ts'
import { tabSessionId } from './session/id.ts'
import { startSession } from './session/session.ts'
import { sessionSlot } from './session/slot.ts'
import { createSessionTokens } from './session/tokens.ts'
import { batchedSetter } from './status.ts'
import { createTracker } from './track/track.ts'
import type { Hookline, HooklineStatus } from './types.ts'

/**
 * The SDK instance, given how to load the devtools (`createHookline` and the script-tag entry
 * differ there). Each part is made from the parts above it, so nothing runs before what it uses
 * exists: events out (outbox), then `track`, then the page that fires it, then what comes back
 * (config and stream). Only `normalizeOptions` throws; a page that cannot be wired is a warning.
 */
export function create(input: HooklineOptions, loadDevtools: DevtoolsLoader): Hookline {
  const o = normalizeOptions(input)
  const log = createLog(o.logLimit, o.debug)
  // The tab's session, claimed on the relay before its first event is sent (events wait queued meanwhile).
  const tokens = createSessionTokens(o.relay, o.key, log.warn)
  const slot = sessionSlot('hookline:session')
  const session = startSession(tabSessionId(slot), slot, tokens, log.warn)
  const vars = map<Record<string, Json>>({ ...o.variables })
  const status = atom<HooklineStatus>({
    online: isOnline(),
    queued: 0,
    evicted: 0,
    stream: 'closed',
    storage: o.storage,
    sender: false,
  })
  const setStatus = batchedSetter(status)
  const transport = createTransport(o.relay, o.key, tokens)
  const definitions = new Map<string, EventDefinition>()
  const cleanups: Cleanups = []
  let destroyed = false
  const isDestroyed = (): boolean => destroyed

  // Events out: the queue, the sending tab, the relay; then `track`, which writes to them.
  const optimistic = createOptimistic(vars, log)
  const scope = `hookline ${o.relay} ${o.key}`
  const outbox = createOutbox(scope, o, transport, log, setStatus, optimistic)
  // The page's screens come before `track` (every event names the current one), what fires it after.
  const dom = o.root ? createDom(o.root) : undefined
  const screens = dom && createScreens(dom)
  const { track, identify } = createTracker({
    sessionId: session.id,
    vars,
    log,
    optimistic,
    definitions,
    enqueue: outbox.enqueue,
    screen: () => screens?.current(),
    destroyed: isDestroyed,
  })

  // The page fires `track`: elements present now may do so at once.
  let triggers: Triggers | undefined
  if (dom && screens) {
    cleanups.push(
      () => dom.destroy(),
      () => screens.destroy(),
    )
    try {
      triggers = wirePage(dom, screens, vars, log, track, o.attributes, cleanups)
    } catch (error) {
      log.warn(`Page not wired (${reasonOf(error)})`)
    }
  }
  const on: Hookline['on'] = (name, spec) => {
    if (triggers) return triggers.add(name, spec)
    log.warn('hl.on() needs a document: ignored')
    return () => {}
  }

  // What comes back: the session's saved variables, the project config, and the stream of
  // variables, deliveries and acks. The saved variables are restored before the stream opens, so
  // it replays only what came after them.
  const quietly = (change: () => void): void => (triggers ? triggers.quietly(change) : change())
  const sessionId = session.id()
  const cursor = sessionSlot(`hookline:last-event-id:${sessionId}`)
  const saved =
    o.storage === 'indexeddb' && (globalThis as Partial<typeof globalThis>).indexedDB
      ? saveVars(`${scope} vars`, sessionId, vars, () => cursor.get(), log.warn)
      : undefined
  const restored = saved?.load()
  if (saved) cleanups.push(() => saved.close())
  const config = o.config
    ? followConfig({
        fetch: transport.config,
        vars,
        definitions,
        on,
        quietly,
        warn: log.warn,
        destroyed: isDestroyed,
      })
    : undefined
  const loadConfig = (): void => config?.load()
  let stream: Stream | undefined
  // The stream of a session is only for whoever claimed it: it opens once the claim has its token.
  const openLive = (): void => {
    if (!o.stream || destroyed) return
    void session.ready.then(({ id, token }) => {
      if (destroyed) return
      stream = openStream({
        url: (lastEventId) => transport.streamUrl(id, lastEventId, token),
        // A session started anew (claimed elsewhere) replays from its own start.
        lastEventId: id === sessionId ? cursor : sessionSlot(`hookline:last-event-id:${id}`),
        ...frameHandlers(vars, log, optimistic, outbox.acked),
        // The project config changed: applied now (fetched when the frame could not carry it).
        onConfig: (frame) => (frame.config ? config?.apply(frame.config) : config?.load(true)),
        onState(state) {
          setStatus({ stream: state })
          // Reopened after being down: config changes made meanwhile were missed. The first open comes
          // within the refetch throttle of the start's load, so it costs nothing.
          if (state === 'open') loadConfig()
        },
        onError: log.warn,
      })
    })
  }
  cleanups.push(() => stream?.close())
  if (restored)
    void restored.then((record) => {
      if (record && !destroyed) {
        quietly(() => {
          for (const [name, value] of Object.entries(record.vars)) vars.setKey(name, value)
        })
        // The frames up to the saved cursor are in the saved values.
        if (record.cursor) cursor.set(record.cursor)
      }
      openLive()
    })
  else openLive()
  cleanups.push(() => session.destroy())
  loadConfig()

  cleanups.push(
    watchLifecycle({
      online() {
        setStatus({ online: true })
        outbox.wake()
      },
      offline: () => setStatus({ online: false }),
      hide: outbox.hide,
      // Back on the page without a stream: the config may have changed meanwhile.
      show() {
        if (status.get().stream !== 'open') loadConfig()
      },
    }),
  )

  let unmountDevtools: (() => void) | undefined
  const hl: Hookline = {
    get sessionId() {
      return session.id()
    },
    vars,
    log: log.store,
    status,
    track,
    on,
    identify,
    flush: outbox.flush,
    devtools() {
      // Each call (re)opens the panel: the devtools' mount() opens the one already there.
      if (destroyed) return Promise.resolve()
      return loadDevtools(hl).then(
        (unmount) => {
          unmountDevtools ??= unmount
        },
        (error: unknown) => log.warn(`devtools not loaded (${reasonOf(error)})`),
      )
    },
    destroy() {
      if (destroyed) return
      destroyed = true
      outbox.destroy()
      optimistic.destroy()
      unmountDevtools?.()
      undo(cleanups)
    },
  }
  return hl
}
