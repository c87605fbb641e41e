/** Samples kept per project: enough for stable p99s over a test session, small enough to never matter (≈ 100 KiB). */
const CAPACITY = 4096

/** One project's ring of samples: when each frame was written, its latency, and the listener it came from. */
interface Ring {
  at: Float64Array
  ms: Float64Array
  listener: string[]
  next: number
  size: number
}

/** Samples of a project since a moment, all together and by listener. */
export interface FrameLatencySamples {
  all: number[]
  byListener: Map<string, number[]>
}

/**
 * Inbound webhook received → its `vars` frame written to the open streams, the second half of
 * The event-to-action latency of docs/monitoring.md. Kept in memory, the last {@link CAPACITY} frames per
 * project: the moment a frame reaches the sockets is known only to the node holding them, and
 * writing a row per frame would put a disk write on the stream's hot path for a chart.
 */
export class FrameLatency {
  readonly #projects = new Map<string, Ring>()

  record(projectId: string, listenerId: string, latencyMs: number, at = Date.now()): void {
    let ring = this.#projects.get(projectId)
    if (!ring)
      this.#projects.set(
        projectId,
        (ring = {
          at: new Float64Array(CAPACITY),
          ms: new Float64Array(CAPACITY),
          listener: new Array<string>(CAPACITY),
          next: 0,
          size: 0,
        }),
      )
    ring.at[ring.next] = at
    ring.ms[ring.next] = latencyMs
    ring.listener[ring.next] = listenerId
    ring.next = (ring.next + 1) % CAPACITY
    ring.size = Math.min(CAPACITY, ring.size + 1)
  }

  /** The project's samples written at or after `since` (ms since epoch). */
  since(projectId: string, since: number): FrameLatencySamples {
    const all: number[] = []
    const byListener = new Map<string, number[]>()
    const ring = this.#projects.get(projectId)
    if (!ring) return { all, byListener }
    for (let i = 0; i < ring.size; i++) {
      const at = ring.at[i]
      const ms = ring.ms[i]
      const listener = ring.listener[i]
      if (at === undefined || ms === undefined || listener === undefined || at < since) continue
      all.push(ms)
      let list = byListener.get(listener)
      if (!list) byListener.set(listener, (list = []))
      list.push(ms)
    }
    return { all, byListener }
  }

  /** A deleted project's samples go with it. */
  forget(projectId: string): void {
    this.#projects.delete(projectId)
  }
}
