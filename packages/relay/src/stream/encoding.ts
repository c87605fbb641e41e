import type { HubMessage } from './bus/message.ts'

/**
 * SSE wire text of a hub message, as DESIGN.md "Stream" fixes it. Encoded once per message and the
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
