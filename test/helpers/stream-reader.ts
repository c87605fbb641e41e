import { request, type IncomingHttpHeaders } from 'node:http'
import type { Socket } from 'node:net'

/** One SSE message that dispatches an event (it has a `data:` line). */
export interface SseFrame {
  event: string
  id: string | undefined
  data: string
}

export interface StreamReader {
  status: number
  headers: IncomingHttpHeaders
  /** Frames received so far, in order. */
  frames: SseFrame[]
  /** Comment lines (`: ping`) received so far. */
  comments: string[]
  /** The last `id:` seen, as EventSource keeps it (also from messages without data). */
  lastEventId: string
  /** The JSON error body when the status is not 200. */
  error: any
  socket: Socket
  /** Resolves once `count` frames (in total) have arrived; rejects after `timeoutMs`. */
  waitForFrames(count: number, timeoutMs?: number): Promise<SseFrame[]>
  /** Resolves when the relay has closed the connection. */
  ended: Promise<void>
  close(): void
}

/**
 * A Server-Sent Events client on node:http that parses frames as EventSource does, for tests and
 * benchmarks. `path` includes the query (`/v1/stream?session=…&key=…`).
 */
export function openStream(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<StreamReader> {
  return new Promise((resolve, reject) => {
    const req = request(
      baseUrl + path,
      { agent: false, headers: { accept: 'text/event-stream', ...headers } },
      (res) => {
        let text = ''
        let resolveEnded!: () => void
        const waiters = new Set<() => void>()
        const reader: StreamReader = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          frames: [],
          comments: [],
          lastEventId: '',
          error: undefined,
          socket: res.socket,
          ended: new Promise<void>((done) => (resolveEnded = done)),
          waitForFrames(count, timeoutMs = 5000) {
            return new Promise((done, fail) => {
              const timer = setTimeout(() => {
                waiters.delete(check)
                fail(
                  new Error(
                    `waited ${timeoutMs} ms for ${count} frames, got ${reader.frames.length}: ${JSON.stringify(reader.frames)}`,
                  ),
                )
              }, timeoutMs)
              function check(): boolean {
                if (reader.frames.length < count) return false
                clearTimeout(timer)
                waiters.delete(check)
                done(reader.frames.slice())
                return true
              }
              if (!check()) waiters.add(check)
            })
          },
          close: () => res.destroy(),
        }
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
          if (reader.status !== 200) return
          let end: number
          while ((end = text.indexOf('\n\n')) >= 0) {
            parseMessage(reader, text.slice(0, end))
            text = text.slice(end + 2)
          }
          for (const check of [...waiters]) check()
        })
        const finish = () => {
          if (reader.status !== 200) {
            try {
              reader.error = JSON.parse(text)
            } catch {
              reader.error = text
            }
          }
          resolveEnded()
        }
        res.on('end', finish)
        res.on('close', finish)
        res.on('error', finish)
        if (reader.status !== 200) res.on('end', () => resolve(reader))
        else resolve(reader)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

function parseMessage(reader: StreamReader, block: string): void {
  let event = 'message'
  let id: string | undefined
  let data: string[] | undefined
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) reader.comments.push(line.slice(1).trim())
    else if (line.startsWith('event: ')) event = line.slice(7)
    else if (line.startsWith('id: ')) reader.lastEventId = id = line.slice(4)
    else if (line.startsWith('data: ')) (data ??= []).push(line.slice(6))
  }
  if (data) reader.frames.push({ event, id, data: data.join('\n') })
}
