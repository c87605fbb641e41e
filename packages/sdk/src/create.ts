import type { EventDefinition, Json } from '@hookline/protocol'
import { atom, map } from 'nanostores'
import { undo, type Cleanups } from './cleanups.ts'
import type { DevtoolsLoader } from './devtools/loader.ts'
import { reasonOf } from './errors.ts'
import type { LiveLoader } from './live/loader.ts'
import { createOptimistic } from './live/optimistic.ts'
import { createLog } from './log.ts'
import type { Describe } from './message-code.ts'
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
 * The SDK instance, given how to load the devtools and the live chunk (`createHookline` and the
 * script-tag entry differ there). Each part is made from the parts above it, so nothing runs
 * before what it uses exists: events out (outbox), then `track`, then the page that fires it, then
 * what comes back (saved variables, config and stream: the live chunk, `live/live.ts`). Only `normalizeOptions` throws; a page that cannot be wired is a warning.
 */
export function create(
  input: HooklineOptions,
  loadDevtools: DevtoolsLoader,
  loadLive: LiveLoader,
  describe: Describe,
): Hookline {
  const o = normalizeOptions(input, describe)
  const log = createLog(o.logLimit, o.debug, describe)
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
      log.warn('HL02', reasonOf(error))
    }
  }
  const on: Hookline['on'] = (name, spec) => {
    if (triggers) return triggers.add(name, spec)
    log.warn('HL03')
    return () => {}
  }

  // What comes back: the session's saved variables, the project config, and the stream of
  // variables, deliveries and acks. The saved variables are restored before the stream opens, so
  // it replays only what came after them.
  const quietly = (change: () => void): void => (triggers ? triggers.quietly(change) : change())
  const sessionId = session.id()
  const cursor = sessionSlot(`hookline:last-event-id:${sessionId}`)
  // Saved only where the queue is kept too (not with `storage: 'memory'`).
  const savedVars =
    o.storage === 'indexeddb' && (globalThis as Partial<typeof globalThis>).indexedDB ? `${scope} vars` : undefined
  // The saved variables, the config and the stream are the live chunk's, loaded now beside the
  // claim and the config's first fetch; nothing that sends waits for it. Without it the page keeps
  // sending, unfed.
  const firstConfig = o.config ? { pending: transport.config(), at: Date.now() } : undefined
  // Read where it is applied, in the chunk; meanwhile a failure is not an unhandled rejection.
  firstConfig?.pending.catch(() => {})
  const live =
    o.config || o.stream || savedVars
      ? loadLive().then(
          ({ startLive }) =>
            destroyed
              ? undefined
              : startLive({
                  vars,
                  log,
                  settle: optimistic.delivery,
                  ack: outbox.acked,
                  events: definitions,
                  on,
                  silently: quietly,
                  ended: isDestroyed,
                  setStatus,
                  fetchConfig: o.config ? transport.config : undefined,
                  firstConfig,
                  relay: o.relay,
                  savedVars,
                  sessionId,
                  cursor,
                  // The stream of a session is only for whoever claimed it: it opens once the claim has its token.
                  streamFrom: o.stream
                    ? session.ready.then(({ id, token }) => ({
                        url: (lastEventId: string | null) => transport.streamUrl(id, lastEventId, token),
                        // A session started anew (claimed elsewhere) replays from its own start.
                        cursor: id === sessionId ? cursor : sessionSlot(`hookline:last-event-id:${id}`),
                      }))
                    : undefined,
                }),
          // Said once, to the log and the console whatever `debug` is: no variable comes back now.
          (error: unknown) => log.alert('HL04', reasonOf(error)),
        )
      : undefined
  cleanups.push(() => void live?.then((started) => started?.close()))
  cleanups.push(() => session.destroy())

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
        if (status.get().stream !== 'open') void live?.then((started) => started?.refresh())
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
        (error: unknown) => log.warn('HL05', reasonOf(error)),
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
