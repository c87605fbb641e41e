import type { Socket } from 'node:net'
import type { AckFrame, DeliveryFrame, Environment, JsonObject, ProjectConfig, VarsFrame } from '@hookline/protocol'
import type { FrameBus, HubMessage } from './bus/message.ts'
import { localBus } from './bus/local.ts'
import { StreamClient } from './client.ts'
import { Connections } from './connections.ts'
import { encodeCursor, encodeMessage, FrameJoiner, PING } from './encoding.ts'
import type { FrameSink } from './frames.ts'
import { FrameLatency } from './latency.ts'
import type { StreamFrameStore } from './store.ts'

export interface HubOptions {
  store: StreamFrameStore
  /** How frames travel between relay nodes. @default localBus() (one node) */
  bus?: FrameBus
  /** @default 15_000 */
  pingIntervalMs?: number
  /** Bytes a connection may leave unread before it is cut off. @default 256 KiB */
  maxBufferedBytes?: number
  /** How long `vars` frames stay replayable. @default 24 h */
  retentionMs?: number
  /** @default 1 h */
  pruneIntervalMs?: number
}

/**
 * How long one flush may write before it lets the event loop turn. An inbound webhook waits for a
 * few turns (its body, its signature check, its commit) before its frame exists, so a long slice
 * delays every frame by a few slices; a short one costs a turn of the loop (tens of µs) per slice.
 */
const FLUSH_SLICE_MS = 2
/** Connections written between two looks at the clock. */
const CLOCK_EVERY = 32

/** An inbound frame waiting to be written everywhere it goes, for the latency figures. */
interface Stamp {
  /** The frame is written once this many outboxes were flushed. */
  through: number
  projectId: string
  listenerId: string
  receivedAt: number
}

/**
 * The stream hub: stores `vars` frames, publishes every frame on the bus, and writes what the bus
 * delivers to the SSE connections this node holds. It is the relay's FrameSink, so the dispatcher
 * and the inbound route feed it without knowing about connections or nodes.
 */
export class Hub implements FrameSink {
  readonly #store: StreamFrameStore
  readonly #bus: FrameBus
  readonly #maxBufferedBytes: number
  readonly #retentionMs: number
  readonly #connections = new Connections()
  readonly #timers: NodeJS.Timeout[]
  readonly #unsubscribe: () => void
  /** Clients with frames in their outbox, in the order they got them, from #next on. */
  #dirty: StreamClient[] = []
  #next = 0
  #flushScheduled = false
  readonly #joiner = new FrameJoiner()
  /** Inbound received → frame written, for `/stats` (the last few thousand frames per project). */
  readonly latency = new FrameLatency()
  /** Clients ever put on #dirty, and flushed since: a frame is written once #flushed passes what #enqueued was when it came. */
  #enqueued = 0
  #flushed = 0
  #stamps: Stamp[] = []
  /** Every client's `onClose`: one function for all, not a closure per open stream. */
  readonly #remove = (client: StreamClient): void => {
    this.#connections.remove(client)
  }

  constructor(options: HubOptions) {
    this.#store = options.store
    this.#bus = options.bus ?? localBus()
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 256 * 1024
    this.#retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000
    this.#unsubscribe = this.#bus.subscribe((message) => {
      this.#fanOut(message)
    })
    this.#timers = [
      setInterval(() => {
        this.#ping()
      }, options.pingIntervalMs ?? 15_000),
      setInterval(() => void this.prune().catch(() => {}), options.pruneIntervalMs ?? 60 * 60 * 1000),
    ]
    for (const timer of this.#timers) timer.unref()
  }

  /** Open SSE connections on this node. */
  get connections(): number {
    return this.#connections.count
  }

  async vars(
    projectId: string,
    target: { session: string } | 'broadcast',
    set: JsonObject,
    source: VarsFrame['source'],
    environment: Environment,
  ): Promise<void> {
    const session = target === 'broadcast' ? null : target.session
    const data: VarsFrame = { set, source }
    const seq = await this.#store.appendVars(projectId, session, environment, data)
    this.publishVars(projectId, session, environment, seq, data)
  }

  /**
   * Publishes a `vars` frame that is already in the store (the inbound route commits it together
   * with its receipt). `receivedAt` (ms since epoch) times it until it is written to the streams.
   */
  publishVars(
    projectId: string,
    session: string | null,
    environment: Environment,
    seq: number,
    data: VarsFrame,
    receivedAt?: number,
  ): void {
    this.#bus.publish(
      receivedAt === undefined
        ? { projectId, session, environment, event: 'vars', seq, data }
        : { projectId, session, environment, event: 'vars', seq, data, receivedAt },
    )
  }

  delivery(projectId: string, sessionId: string, frame: DeliveryFrame): void {
    this.#bus.publish({ projectId, session: sessionId, event: 'delivery', data: frame })
  }

  ack(projectId: string, sessionId: string, ids: string[], deliveries?: Record<string, number>): void {
    const data: AckFrame = deliveries ? { ids, deliveries } : { ids }
    this.#bus.publish({ projectId, session: sessionId, event: 'ack', data })
  }

  config(projectId: string, config: ProjectConfig): void {
    this.#bus.publish({ projectId, session: null, event: 'config', data: { config } })
  }

  /**
   * Serves a session on a socket whose SSE response headers are already written: replays the
   * `vars` frames after `lastEventId` (or none for a fresh connection), then goes live. Frames
   * published while the replay is read wait in the client and are written after it, each once.
   */
  async open(
    socket: Socket,
    scope: { projectId: string; environment: Environment },
    sessionId: string,
    lastEventId: number | null,
  ): Promise<StreamClient> {
    const { projectId, environment } = scope
    const client = new StreamClient(projectId, environment, sessionId, socket, this.#maxBufferedBytes, this.#remove)
    if (client.closed) return client
    this.#connections.add(client)
    try {
      await this.#replay(client, lastEventId ?? Number.MAX_SAFE_INTEGER)
    } catch (error) {
      client.close()
      throw error
    }
    return client
  }

  async prune(now = Date.now()): Promise<void> {
    await this.#store.prune(now - this.#retentionMs)
  }

  /** Stops the timers, closes every connection and the bus. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer)
    this.#unsubscribe()
    for (const client of this.#connections.all()) client.close()
    await this.#bus.close()
  }

  async #replay(client: StreamClient, afterSeq: number): Promise<void> {
    const { projectId, environment, sessionId } = client
    const { latestSeq, frames, complete } = await this.#store.replay(projectId, environment, sessionId, afterSeq)
    // At most half the allowance per connection, so live frames still fit behind the replay.
    let replayed = 0
    let written = 0
    for (const frame of frames) {
      const bytes = encodeMessage({
        projectId,
        session: sessionId,
        environment,
        event: 'vars',
        seq: frame.seq,
        data: frame.data,
      })
      if (written > 0 && written + bytes.length > this.#maxBufferedBytes / 2) break
      client.write(bytes)
      written += bytes.length
      replayed++
    }
    // Far behind: end here; the browser reconnects from the last frame it got and reads on.
    if (!complete || replayed < frames.length) {
      client.end()
      return
    }
    const lastReplayed = frames.at(-1)?.seq ?? -1
    if (lastReplayed < latestSeq) client.write(encodeCursor(latestSeq))
    client.goLive(Math.max(latestSeq, lastReplayed))
  }

  #fanOut(message: HubMessage): void {
    const clients = this.#connections.of(message.projectId, message.session)
    if (!clients || clients.size === 0) return
    const bytes = encodeMessage(message)
    const seq = message.event === 'vars' ? message.seq : 0
    // A vars frame is for its environment's connections only; the other frames name a session,
    // which has one environment, or are the project's config, which both share.
    const environment = message.event === 'vars' ? message.environment : null
    for (const client of clients) {
      if (environment !== null && client.environment !== environment) continue
      if (!client.push(bytes, seq)) continue
      this.#dirty.push(client)
      this.#enqueued++
    }
    if (message.event === 'vars' && message.receivedAt !== undefined && message.data.source.kind === 'inbound') {
      // Every client this frame waits in is at or before #enqueued in the flush order.
      this.#stamps.push({
        through: this.#enqueued,
        projectId: message.projectId,
        listenerId: message.data.source.id,
        receivedAt: message.receivedAt,
      })
      this.#settle()
    }
    this.#scheduleFlush()
  }

  /** Records the frames now written to every connection they were for. */
  #settle(): void {
    const first = this.#stamps[0]
    if (!first || first.through > this.#flushed) return
    const now = performance.timeOrigin + performance.now()
    let settled = 0
    for (const stamp of this.#stamps) {
      if (stamp.through > this.#flushed) break
      this.latency.record(stamp.projectId, stamp.listenerId, Math.max(0, now - stamp.receivedAt))
      settled++
    }
    if (settled > 0) this.#stamps.splice(0, settled)
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#next === this.#dirty.length) return
    this.#flushScheduled = true
    setImmediate(() => {
      this.#flush()
    })
  }

  /**
   * Writes the outboxes of the clients that have frames waiting, a slice of time at a time, so that
   * a broadcast to 10,000 connections lets inbound requests in between slices. Frames published
   * meanwhile join the outboxes and leave with them.
   */
  #flush(): void {
    this.#flushScheduled = false
    const dirty = this.#dirty
    const deadline = performance.now() + FLUSH_SLICE_MS
    let i = this.#next
    while (i < dirty.length) {
      dirty[i++]?.flush(this.#joiner.join)
      if (i % CLOCK_EVERY === 0 && performance.now() >= deadline) break
    }
    this.#joiner.reset()
    this.#flushed += i - this.#next
    this.#next = i
    if (i === dirty.length) {
      this.#dirty = []
      this.#next = 0
    } else if (i >= 4096 && i * 2 >= dirty.length) {
      // Under constant load the queue never empties: drop what was written, now and then.
      this.#dirty = dirty.slice(i)
      this.#next = 0
    }
    this.#settle()
    this.#scheduleFlush()
  }

  #ping(): void {
    for (const client of this.#connections.all()) client.write(PING)
  }
}
