import type { Environment } from '@hookline/protocol'
import type { Socket } from 'node:net'

/**
 * One open SSE connection. It writes frame bytes straight to the socket (no per-connection stream
 * object, no per-connection timer: the hub pings everyone from one interval), so an idle stream
 * costs little more than Node's own socket.
 *
 * Live frames wait in a small outbox until the hub flushes it, later in the same turn of the event
 * loop when the relay keeps up; when it falls behind, the frames due leave joined in one write, so
 * the relay's work per connection stays one system call however many frames are due.
 *
 * A client that stops reading lets bytes pile up in the socket's buffer; past `maxBufferedBytes`
 * it is cut off and everything it held is released. The browser then reconnects with
 * Last-Event-ID and the store replays what it missed.
 */
export class StreamClient {
  /** Frames that arrived while the replay was read; null once the client is live. */
  #pending: { seq: number; bytes: Buffer }[] | null = []
  /** Frames waiting for the hub's flush: one, or several once the relay fell behind. */
  #outbox: Buffer | Buffer[] | null = null
  #queuedBytes = 0
  #closed = false

  constructor(
    readonly projectId: string,
    readonly environment: Environment,
    readonly sessionId: string,
    private readonly socket: Socket,
    private readonly maxBufferedBytes: number,
    private readonly onClose: (client: StreamClient) => void,
  ) {
    // A browser that left before its stream opened never emits 'close' again. 'close' comes once,
    // so `on` does: `once` would add a wrapper and its state to every open stream.
    if (socket.destroyed) this.#closed = true
    else socket.on('close', () => this.close())
  }

  get closed(): boolean {
    return this.#closed
  }

  /**
   * A live frame (`seq` 0 for frames that are not replayable): held while the replay is read, else
   * put in the outbox. True when the outbox was empty, i.e. the hub must flush this client.
   */
  push(bytes: Buffer, seq: number): boolean {
    if (this.#closed) return false
    if (this.#behind(bytes)) {
      this.close()
      return false
    }
    this.#queuedBytes += bytes.length
    if (this.#pending) {
      this.#pending.push({ seq, bytes })
      return false
    }
    if (this.#outbox === null) {
      this.#outbox = bytes
      return true
    }
    if (Array.isArray(this.#outbox)) this.#outbox.push(bytes)
    else this.#outbox = [this.#outbox, bytes]
    return false
  }

  /**
   * Writes what the outbox holds in one write. Several frames are joined by `join`, which hands
   * the same buffer to every client that got the same frames (a broadcast's usual case).
   */
  flush(join: (frames: Buffer[]) => Buffer): void {
    const outbox = this.#outbox
    this.#outbox = null
    this.#queuedBytes = 0
    if (this.#closed || outbox === null) return
    this.socket.write(Array.isArray(outbox) ? join(outbox) : outbox)
  }

  /** Writes now (replay, pings), unless the client has fallen too far behind: then it is cut off. */
  write(bytes: Buffer): void {
    if (this.#closed) return
    if (this.#behind(bytes)) {
      this.close()
      return
    }
    this.socket.write(bytes)
  }

  /** Whether `bytes` more would pass the allowance. A frame larger than the allowance still goes to a client that has read everything else. */
  #behind(bytes: Buffer): boolean {
    const waiting = this.socket.writableLength + this.#queuedBytes
    return waiting > 0 && waiting + bytes.length > this.maxBufferedBytes
  }

  /** Ends the replay: writes the frames that arrived meanwhile, minus those the replay already held. */
  goLive(replayedThrough: number): void {
    const pending = this.#pending
    this.#pending = null
    this.#queuedBytes = 0
    for (const frame of pending ?? []) {
      if (frame.seq === 0 || frame.seq > replayedThrough) this.write(frame.bytes)
    }
  }

  /** Drops the connection at once, with whatever it had not yet read. */
  close(): void {
    this.#finish()
    this.socket.destroy()
  }

  /** Ends the connection after what was written so far has been sent. */
  end(): void {
    this.#finish()
    this.socket.end()
  }

  #finish(): void {
    if (this.#closed) return
    this.#closed = true
    this.#pending = null
    this.#outbox = null
    this.onClose(this)
  }
}
