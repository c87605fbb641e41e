import type { DeliveryFrame, EventDefinition, Json } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { Log } from '../log.ts'
import type { SessionSlot } from '../session/slot.ts'
import type { SetStatus } from '../status.ts'
import type { TriggerSpec } from '../types.ts'
import { followConfig, readConfig } from './config.ts'
import { frameHandlers } from './frames.ts'
import { saveVars } from './saved-vars.ts'
import { openStream, type Stream } from './stream.ts'

/**
 * What the live chunk is handed by the core. The chunk is a build of its own in the script tag
 * (`hookline-live.js`), so these keys cross between two builds: none may be a member the build
 * shortens (`INTERNAL` in scripts/build.mjs), and only plain functions, nanostores and the log
 * (whose members are never shortened) cross, never an object of the core's own interfaces.
 */
export interface LiveContext {
  vars: MapStore<Record<string, Json>>
  log: Log
  /** Settles optimistic updates from a `delivery` frame. */
  settle: (frame: DeliveryFrame) => void
  /** Acknowledges queued events from an `ack` frame (those that left by beacon). */
  ack: (ids: readonly string[], deliveries?: Readonly<Record<string, number>>) => void
  /** Filled with the config's event definitions (read by `track`). */
  events: Map<string, EventDefinition>
  /** `hl.on()`, for the triggers of the config's events. */
  on: (name: string, spec: TriggerSpec) => () => void
  /** Runs a change of variables without firing change triggers. */
  silently: (change: () => void) => void
  ended: () => boolean
  setStatus: SetStatus
  /** `GET /v1/config`, the answer as it comes; absent with `config: false`. */
  fetchConfig?: () => Promise<Response>
  /** The start's `GET /v1/config`, sent by the core while this chunk loaded, and when (ms). */
  firstConfig?: { pending: Promise<Response>; at: number }
  /** The relay's URL, to name it when the config cannot be read. */
  relay: string
  /** The database of the saved variables (beside the queue's); absent when they are not saved. */
  savedVars?: string
  /** The tab's session at start, and where its stream cursor is kept. */
  sessionId: string
  cursor: SessionSlot
  /**
   * Resolves when the session is claimed, with the stream's URL and where its cursor is kept (the
   * session may have started anew); absent with `stream: false`.
   */
  streamFrom?: Promise<{ url: (lastEventId: string | null) => string; cursor: SessionSlot }>
}

/** The running live part, as the core drives it. */
export interface Live {
  /** Fetches the config again (at most every 5 s): the page shows again without an open stream. */
  refresh(): void
  close(): void
}

/**
 * What comes back: the session's saved variables (restored first), the project config (loaded
 * now, then applied from each `config` frame) and the stream of `vars`, `delivery`, `ack` and
 * `config` frames. This is the SDK's lazy chunk: events out (queue, sender, beacon) and the page's
 * triggers never wait for it.
 */
export function startLive(context: LiveContext): Live {
  const { fetchConfig, firstConfig, log } = context
  const url = `${context.relay}/v1/config`
  const config = fetchConfig
    ? followConfig({
        fetch: () => readConfig(fetchConfig(), url),
        vars: context.vars,
        definitions: context.events,
        on: context.on,
        quietly: context.silently,
        warn: log.warn,
        destroyed: context.ended,
      })
    : undefined
  const refresh = (): void => config?.load()
  let stream: Stream | undefined
  let closed = false
  // The session's saved variables are restored before the stream opens, so it replays only what
  // came after them (from the cursor saved with them).
  const { vars, cursor: startCursor, savedVars } = context
  const saved = savedVars ? saveVars(savedVars, context.sessionId, vars, () => startCursor.get(), log.warn) : undefined
  const restored = saved?.load().then((record) => {
    if (context.ended()) return
    if (record) {
      context.silently(() => {
        for (const [name, value] of Object.entries(record.vars)) vars.setKey(name, value)
      })
      if (record.cursor) startCursor.set(record.cursor)
    }
    // Changes made while this chunk loaded were not seen by the listener: saved now.
    saved.save()
  })
  void context.streamFrom?.then(async ({ url, cursor }) => {
    await restored
    if (closed || context.ended()) return
    stream = openStream({
      url,
      lastEventId: cursor,
      ...frameHandlers(context.vars, log, context.settle, context.ack),
      // The project config changed: applied now (fetched when the frame could not carry it).
      onConfig: (frame) => (frame.config ? config?.apply(frame.config) : config?.load(true)),
      onState(state) {
        context.setStatus({ stream: state })
        // Reopened after being down: config changes made meanwhile were missed. The first open comes
        // within the refetch throttle of the start's load, so it costs nothing.
        if (state === 'open') refresh()
      },
      onError: log.warn,
    })
  })
  if (firstConfig) config?.adopt(readConfig(firstConfig.pending, url), firstConfig.at)
  else refresh()
  return {
    refresh,
    close() {
      closed = true
      saved?.close()
      stream?.close()
    },
  }
}
