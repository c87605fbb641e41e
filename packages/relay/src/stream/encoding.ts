import type { HubMessage } from './bus/message.ts'

/**
 * SSE wire text of a hub message, as docs/stream.md fixes it. Encoded once per message and the
 * same bytes are written to every connection it is for. JSON.stringify never emits a raw newline,
 * so one `data:` line always holds the whole frame.
 */
export function encodeMessage(message: HubMessage): Buffer {
  const data = JSON.stringify(message.data)
  const text =
    message.event === 'vars'
      ? `event: vars\nid: ${message.seq}\ndata: ${data}\n\n`
      : `event: ${message.event}\ndata: ${data}\n\n`
  return Buffer.from(text)
}

/** Sets the EventSource's last event id without dispatching an event (no `data:` line), so a
 *  client that reconnects before its first `vars` frame still resumes from the right place. */
export function encodeCursor(seq: number): Buffer {
  return Buffer.from(`id: ${seq}\n\n`)
}

export const PING = Buffer.from(': ping\n\n')

/**
 * Joins the frames due for one connection into one buffer, and hands the same buffer to the next
 * connections while they are due the very same frames (as every connection of a broadcast is), so
 * a flush allocates once per distinct run of frames, not once per connection.
 */
export class FrameJoiner {
  #frames: readonly Buffer[] = []
  #joined: Buffer | null = null

  readonly join = (frames: Buffer[]): Buffer => {
    if (this.#joined === null || !sameFrames(frames, this.#frames)) {
      this.#frames = frames
      this.#joined = Buffer.concat(frames)
    }
    return this.#joined
  }

  /** Lets go of the last joined buffer (at the end of a flush). */
  reset(): void {
    this.#frames = []
    this.#joined = null
  }
}

function sameFrames(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
