import {
  EVENT_NAME,
  LIMITS,
  newId,
  renderTemplate,
  type EventDefinition,
  type HooklineEvent,
  type Identity,
  type Json,
  type JsonObject,
} from '@hookline/protocol'
import { atom, map } from 'nanostores'
import { wireAttributes, elementProps } from './attributes.ts'
import { openChannel, type TabMessage } from './channel.ts'
import { applyConfig } from './config.ts'
import { createDom, type Dom } from './dom.ts'
import { electLeader } from './leader.ts'
import { createLog } from './log.ts'
import { createOptimistic } from './optimistic.ts'
import { normalizeOptions, type HooklineOptions } from './options.ts'
import { createQueue, type QueueRecord } from './queue.ts'
import { createSender } from './sender.ts'
import { sessionSlot, tabSessionId } from './session.ts'
import { IN_MEMORY, openStorage, type Chunk } from './storage.ts'
import { openStream, type Stream } from './stream.ts'
import { createTransport } from './transport.ts'
import { createTriggers, type Triggers } from './triggers.ts'
import type { Hookline, HooklineStatus, TriggerSpec } from './types.ts'
import { reasonOf } from './errors.ts'
import { jsonEqual } from './equal.ts'

/** Why `name` is refused, for `track()` and `hl.on()`. */
const badName = (name: unknown): string => `${JSON.stringify(name)} is not an event name (1–100 of a-z 0-9 . _ : -)`

/** A tab message's or a write's chunks as send records. */
const recordsIn = (chunks: readonly Chunk[]): QueueRecord[] =>
  chunks.flatMap(([, list]) => list.map(([id, json]) => ({ id, json })))

/** Loads and mounts the devtools panel; resolves to its unmount. The ESM and script-tag builds differ here. */
export type DevtoolsLoader = (hl: Hookline) => Promise<() => void>

/** The SDK instance, given how to load the devtools (see `createHookline` and the script-tag entry). */
export function create(input: HooklineOptions, loadDevtools: DevtoolsLoader): Hookline {
  const o = normalizeOptions(input)
  const log = createLog(o.logLimit, o.debug)
  const sessionId = tabSessionId()
  const vars = map<Record<string, Json>>({ ...o.variables })
  const online = (): boolean => typeof navigator === 'undefined' || navigator.onLine !== false
  const status = atom<HooklineStatus>({
    online: online(),
    queued: 0,
    evicted: 0,
    stream: 'closed',
    storage: o.storage,
    sender: false,
  })
  let patch: Partial<HooklineStatus> | undefined
  const setStatus = (change: Partial<HooklineStatus>): void => {
    if (!patch) {
      patch = {}
      queueMicrotask(() => {
        status.set({ ...status.get(), ...patch })
        patch = undefined
      })
    }
    Object.assign(patch, change)
  }
  const definitions = new Map<string, EventDefinition>()
  const transport = createTransport(o.relay, o.key)
  const scope = `hookline ${o.relay} ${o.key}`
  const cleanups: Array<() => void> = []
  let evicted = 0
  let destroyed = false
  let user: Identity | undefined
  let company: Identity | undefined

  const optimistic = createOptimistic(vars, log, o.settleMs)
  const rejected = (eventId: string, reason: string): void => {
    log.add({ kind: 'rejected', eventId, reason })
    optimistic.rollBack(eventId, `rejected: ${reason}`)
  }

  const queue = createQueue({
    open: openStorage(scope, o.storage, (reason) => {
      log.warn(`${reason}: ${IN_MEMORY}`)
      setStatus({ storage: 'memory' })
    }),
    budgetBytes: o.budgetBytes,
    onStored(chunks) {
      const records = recordsIn(chunks)
      for (const record of records) log.add({ kind: 'queued', eventId: record.id, depth: queue.size })
      setStatus({ queued: queue.size })
      if (sender.leader) sender.stored(records)
      else channel.post({ t: 'stored', chunks })
    },
    onDropped(ids, reason, wasEvicted) {
      if (wasEvicted) {
        evicted += ids.length
        log.add({ kind: 'evicted', count: ids.length })
        log.warn(reason)
        setStatus({ evicted })
        for (const id of ids) optimistic.rollBack(id, `evicted: ${reason}`)
      } else for (const id of ids) rejected(id, reason)
    },
    onError: (message) => {
      log.warn(message)
      setStatus({ storage: queue.storageKind })
    },
    onChange: () => setStatus({ queued: queue.size }),
  })

  const sender = createSender({
    ...o, // batchEvents, batchBytes, flushInterval
    queue,
    transport,
    online,
    onSent: (eventIds, via) => log.add({ kind: 'sent', eventIds, transport: via }),
    onAcked(eventIds) {
      log.add({ kind: 'acknowledged', eventIds })
      announceAcks(eventIds)
    },
    onRejected(id, reason) {
      rejected(id, reason)
      channel.post({ t: 'rejected', id, reason })
    },
    onRetry: (reason, delayMs) =>
      log.add({ kind: 'warning', message: `${reason}; retrying in ${Math.round(delayMs / 100) / 10} s` }),
  })

  // Acknowledged ids go to the other tabs (their flush() and memory) at most every 100 ms.
  let acks: string[] = []
  const announceAcks = (ids: string[]): void => {
    if (!acks.length) setTimeout(() => channel.post({ t: 'acked', ids: acks.splice(0) }), 100)
    acks.push(...ids)
  }

  const channel = openChannel(scope, (message: TabMessage) => {
    if (message.t === 'stored') {
      if (!sender.leader) return
      queue.merge(message.chunks)
      sender.stored(recordsIn(message.chunks))
    } else if (message.t === 'acked') {
      queue.remove(message.ids, false)
    } else if (message.t === 'rejected') {
      if (queue.remove([message.id], false).length || optimistic.has(message.id)) rejected(message.id, message.reason)
    }
  })
  cleanups.push(() => channel.close())

  cleanups.push(
    electLeader(
      scope,
      (leader) => {
        setStatus({ sender: leader })
        if (!leader) return sender.setLeader(false)
        void queue.reload().then(() => !destroyed && sender.setLeader(true))
      },
      (reason) => log.warn(reason),
    ),
  )

  // The project config: loaded at start and again when the page shows or the stream reopens, so a
  // running page follows changes without a reload. An answer equal to the applied one changes nothing.
  let applied: unknown
  let wired: Map<string, () => void> | undefined
  let configAt = 0
  const loadConfig = (): void => {
    // At most every 5 s: tab switching should not cost a request each time.
    if (!o.config || Date.now() - configAt < 5000) return
    configAt = Date.now()
    transport.config().then(
      (config) => {
        if (destroyed || !config || jsonEqual(config, applied)) return
        applied = config
        const apply = (): void => void (wired = applyConfig(config, vars, definitions, hl.on, wired))
        if (triggers) triggers.quietly(apply)
        else apply()
      },
      (error) => log.warn(`Project config not loaded (${reasonOf(error)})`),
    )
  }

  // The browser's signals: online/offline, and page hide (beacon what is queued; it stays queued).
  if (typeof window !== 'undefined') {
    const on = (target: EventTarget, type: string, handler: () => void): void => {
      target.addEventListener(type, handler)
      cleanups.push(() => target.removeEventListener(type, handler))
    }
    on(window, 'online', () => {
      setStatus({ online: true })
      sender.wake()
    })
    on(window, 'offline', () => setStatus({ online: false }))
    const hide = (): void => {
      void queue.persist()
      sender.beacon()
    }
    on(window, 'pagehide', hide)
    // Back on the page: the project config may have changed meanwhile (e.g. in the dashboard).
    if (typeof document !== 'undefined')
      on(document, 'visibilitychange', () => (document.visibilityState === 'hidden' ? hide() : loadConfig()))
  }

  let dom: Dom | undefined
  let triggers: Triggers | undefined
  if (o.root) {
    dom = createDom(o.root)
    triggers = createTriggers({
      dom,
      vars,
      warn: log.warn,
      fire(name, spec, element) {
        const fromElement = element ? elementProps(element, log.warn) : undefined
        const props = spec.props || fromElement ? { ...spec.props, ...fromElement } : undefined
        hl.track(name, props, spec.optimistic ? { optimistic: spec.optimistic } : undefined)
      },
    })
    cleanups.push(
      () => triggers?.destroy(),
      () => dom?.destroy(),
    )
    if (o.attributes)
      cleanups.push(wireAttributes({ dom, triggers, vars, log, track: (name, props) => hl.track(name, props) }))
  }

  let stream: Stream | undefined
  if (o.stream) {
    stream = openStream({
      url: (lastEventId) => transport.streamUrl(sessionId, lastEventId),
      lastEventId: sessionSlot(`hookline:last-event-id:${sessionId}`),
      onVars(frame) {
        if (!frame?.set) return
        for (const name in frame.set) vars.setKey(name, frame.set[name]!)
        log.add({ kind: 'vars', set: frame.set, source: frame.source?.kind ?? 'inbound' })
      },
      onDelivery(frame) {
        log.add(
          frame.ok
            ? { kind: 'delivered', ...frame }
            : {
                kind: 'failed',
                ...frame,
                reason: frame.error ?? `the endpoint answered ${frame.status || 'nothing'}`,
                final: !!frame.final,
              },
        )
        optimistic.delivery(frame)
      },
      onAck(frame) {
        const removed = queue.remove(frame.ids ?? [])
        if (removed.length) {
          log.add({ kind: 'acknowledged', eventIds: removed })
          announceAcks(removed)
        }
      },
      onState(state) {
        setStatus({ stream: state })
        // Reopened after being down: config changes made meanwhile were missed. The first open comes
        // within the 5 s throttle of the start's fetch, so it costs nothing.
        if (state === 'open') loadConfig()
      },
      onError: log.warn,
    })
    cleanups.push(() => stream?.close())
  }

  loadConfig()

  let unmountDevtools: (() => void) | undefined
  const identity = (
    value: { id: string; props?: JsonObject } | null | undefined,
    which: string,
  ): Identity | undefined => {
    if (!value?.id) return void (value && log.warn(`identify(): ${which} without "id" ignored`))
    const props = Object.entries(value.props ?? {})
    if (props.length > LIMITS.identityProps) log.warn(`identify(): ${which} props over ${LIMITS.identityProps} dropped`)
    return value.props
      ? { id: String(value.id), props: Object.fromEntries(props.slice(0, LIMITS.identityProps)) }
      : { id: String(value.id) }
  }

  const hl: Hookline = {
    sessionId,
    vars,
    log: log.store,
    status,
    track(name, props, options) {
      const id = newId('evt')
      try {
        if (destroyed) {
          log.warn('track() after destroy(): dropped')
          return id
        }
        if (typeof name !== 'string' || !EVENT_NAME.test(name)) {
          log.add({ kind: 'rejected', eventId: id, reason: badName(name) })
          return id
        }
        const values = vars.get()
        // `ts` is filled from `at` when the queue serializes the event, off the caller's task.
        const at = Date.now()
        const event: HooklineEvent = { id, name, ts: '', sessionId }
        const screen = triggers?.screen()
        if (screen) event.screen = screen
        if (props != null) {
          if (typeof props === 'object' && !Array.isArray(props)) event.props = { ...props }
          else log.warn(`track("${name}"): props must be an object, left out`)
        }
        for (const _ in values) {
          event.vars = values
          break
        }
        if (user) event.user = user
        if (company) event.company = company
        queue.enqueue(event, at)
        log.add({ kind: 'fired', eventId: id, name, props: event.props })
        const template = options?.optimistic ?? definitions.get(name)?.optimistic
        if (template) {
          const set = renderTemplate(template, {
            props: event.props ?? {},
            vars: values,
            event: { id, name },
            session: { id: sessionId },
          })
          if (set && typeof set === 'object' && !Array.isArray(set)) optimistic.apply(id, set)
        }
      } catch (error) {
        log.warn(`track("${String(name)}") failed: ${reasonOf(error)}`)
      }
      return id
    },
    on(name, trigger: TriggerSpec) {
      if (!trigger || typeof trigger !== 'object') trigger = {} as TriggerSpec // warned below as a trigger with no kind
      if (!triggers) {
        log.warn('hl.on() needs a document: ignored')
        return () => {}
      }
      if (typeof name !== 'string' || !EVENT_NAME.test(name)) {
        log.warn(`hl.on(): ${badName(name)}; ignored`)
        return () => {}
      }
      return triggers.add(name, trigger)
    },
    identify(nextUser, nextCompany) {
      if (nextUser !== undefined) user = identity(nextUser, 'user')
      if (nextCompany !== undefined) company = identity(nextCompany, 'company')
    },
    async flush() {
      await queue.ready
      const ids = queue.ids()
      if (!ids.length) return
      await queue.persist()
      sender.flush()
      await queue.settled(ids)
    },
    devtools() {
      // Each call (re)opens the panel: the devtools' mount() opens the one already there.
      if (destroyed) return Promise.resolve()
      return loadDevtools(hl).then(
        (unmount) => {
          unmountDevtools ??= unmount
        },
        (error) => log.warn(`devtools not loaded (${reasonOf(error)})`),
      )
    },
    destroy() {
      if (destroyed) return
      destroyed = true
      void queue.persist()
      sender.destroy()
      optimistic.destroy()
      unmountDevtools?.()
      for (const cleanup of cleanups.splice(0).reverse()) cleanup()
    },
  }
  return hl
}
