/**
 * When each key's open streams must end: the ends, for the keys given, of those still working
 * (`null`: no end); a key left out of the answer is gone (deleted with its project, or past its
 * end and pruned by a rotation).
 */
export type ReadKeyEnds = (hashes: string[]) => Promise<Map<string, number | null>>

/** An open stream, ended (the browser reconnects, and must then bring a working key) when its key stops working. */
export interface EndableStream {
  end(): void
}

interface KeyStreams {
  projectId: string
  /** The open streams of this key; the streams themselves, not closures over them, so a watch costs a set entry. */
  streams: Set<EndableStream>
  /** When the key stops working (ms since epoch), `null` for never; `undefined` until first read. */
  end: number | null | undefined
}

/** setTimeout's longest wait; a longer end is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Ends the open streams of a publishable key when that key stops working: the end of a rotated
 * key's grace period, or a project deleted. A stream is authenticated once, when it opens, so
 * without this a stream opened with a leaked key would outlive the rotation that ended the key.
 * The key's end is read when its first stream opens and again whenever its project's keys change
 * on any node (`recheck`, from the same signal that clears the key caches); one timer waits for
 * the nearest end.
 */
export class StreamKeyEnds {
  readonly #keys = new Map<string, KeyStreams>()
  #timer: NodeJS.Timeout | undefined

  constructor(
    private readonly readEnds: ReadKeyEnds,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the key (by hash) has open streams watched on this node (for tests). */
  watches(hash: string): boolean {
    return this.#keys.has(hash)
  }

  /** Ends `stream` once the key `hash` stops working, until `unwatch` (call it when the stream closes). */
  watch(scope: { projectId: string; hash: string }, stream: EndableStream): void {
    let key = this.#keys.get(scope.hash)
    if (!key) {
      key = { projectId: scope.projectId, streams: new Set(), end: undefined }
      this.#keys.set(scope.hash, key)
      void this.#read([scope.hash])
    }
    key.streams.add(stream)
  }

  /** Stops watching `stream` (closed) of the key `hash`. */
  unwatch(hash: string, stream: EndableStream): void {
    const watched = this.#keys.get(hash)
    if (!watched?.streams.delete(stream) || watched.streams.size > 0) return
    this.#keys.delete(hash)
    if (this.#keys.size === 0) this.#disarm()
  }

  /** A project's keys changed (rotated, or the project deleted), here or on another node: reads their ends again. */
  recheck(projectId: string): Promise<void> {
    const hashes = [...this.#keys].filter(([, key]) => key.projectId === projectId).map(([hash]) => hash)
    return hashes.length ? this.#read(hashes) : Promise.resolve()
  }

  /** Stops the timer; streams are left as they are. */
  stop(): void {
    this.#disarm()
  }

  async #read(hashes: string[]): Promise<void> {
    let ends: Map<string, number | null>
    try {
      ends = await this.readEnds(hashes)
    } catch (error) {
      // The stream stays open; the next change of its project's keys reads again.
      this.onError(error)
      return
    }
    for (const hash of hashes) {
      const key = this.#keys.get(hash)
      // A gone key ended already: 0 is before any now.
      if (key) key.end = ends.has(hash) ? (ends.get(hash) ?? null) : 0
    }
    this.#sweep()
  }

  /** Ends the streams of every key past its end, and waits for the next end. */
  #sweep(): void {
    this.#disarm()
    const now = this.now()
    let next = Infinity
    for (const [hash, key] of this.#keys) {
      if (key.end === null || key.end === undefined) continue
      if (key.end > now) {
        next = Math.min(next, key.end)
        continue
      }
      this.#keys.delete(hash)
      for (const stream of key.streams) stream.end()
    }
    if (next === Infinity) return
    this.#timer = setTimeout(
      () => {
        this.#sweep()
      },
      Math.min(MAX_TIMER_MS, next - now),
    )
    this.#timer.unref()
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
