import type { Socket } from 'node:net'

/**
 * One open SSE connection. It writes frame bytes straight to the socket (no per-connection stream
 * object, no per-connection timer: the hub pings everyone from one interval), so an idle stream
 * costs little more than Node's own socket. A client that stops reading lets bytes pile up in the
 * socket's buffer; past `maxBufferedBytes` it is cut off and everything it held is released. The
 * browser then reconnects with Last-Event-ID and the store replays what it missed.
 */
export class StreamClient {
  /** Frames that arrived while the replay was read; null once the client is live. */
  #pending: { seq: number; bytes: Buffer }[] | null = []
  #pendingBytes = 0
  #closed = false

  constructor(
    readonly projectId: string,
    readonly sessionId: string,
    private readonly socket: Socket,
    private readonly maxBufferedBytes: number,
    private readonly onClose: (client: StreamClient) => void,
  ) {
    socket.once('close', () => this.close())
  }

  get closed(): boolean {
    return this.#closed
  }

  /** A live frame (`seq` 0 for frames that are not replayable). Queued while the replay is read. */
  push(bytes: Buffer, seq: number): void {
    if (this.#pending) {
      this.#pendingBytes += bytes.length
      if (this.#pendingBytes > this.maxBufferedBytes) return this.close()
      this.#pending.push({ seq, bytes })
    } else this.write(bytes)
  }

  /** Writes now, unless the client has fallen too far behind: then it is cut off. */
  write(bytes: Buffer): void {
    if (this.#closed) return
    if (this.socket.writableLength + bytes.length > this.maxBufferedBytes) return this.close()
    this.socket.write(bytes)
  }

  /** Ends the replay: flushes the frames that arrived meanwhile, minus those the replay already held. */
  goLive(replayedThrough: number): void {
    const pending = this.#pending
    this.#pending = null
    this.#pendingBytes = 0
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
    this.onClose(this)
  }
}
