import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { Socket } from 'node:net'

/** Descriptors kept free beyond the connection ceiling: the database, its WAL, outgoing webhooks, logs. */
const RESERVED_DESCRIPTORS = 128

/** The process's soft limit on open files (Linux `/proc/self/limits`), or undefined where unknown. */
export function descriptorLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
    return line?.[1] && line[1] !== 'unlimited' ? Number(line[1]) : undefined
  } catch {
    return undefined
  }
}

export interface ConnectionLimits {
  /** Open connections at once, from everyone. */
  total: number
  /** Open connections at once from one client address (a NAT counts as one). */
  perAddress: number
}

/**
 * The ceilings for this process: everyone together stays `RESERVED_DESCRIPTORS` under the
 * descriptor limit, and one address never holds more than half of that, so a flood from one
 * address leaves room for /healthz, ingest and admin from the others.
 */
export function connectionLimits(configured: ConnectionLimits, limit = descriptorLimit()): ConnectionLimits {
  const ceiling = limit === undefined ? configured.total : Math.max(64, limit - RESERVED_DESCRIPTORS)
  const total = Math.min(configured.total, ceiling)
  return { total, perAddress: Math.min(configured.perAddress, Math.max(1, Math.floor(total / 2))) }
}

/**
 * Counts the server's connections by client address and closes, at once, those over either
 * ceiling. Closing costs nothing but the accept: the descriptor is freed before the next one.
 */
export function guardConnections(server: Server, limits: ConnectionLimits): void {
  const byAddress = new Map<string, number>()
  let open = 0
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? ''
    const mine = byAddress.get(address) ?? 0
    if (open >= limits.total || mine >= limits.perAddress) {
      socket.destroy()
      return
    }
    open++
    byAddress.set(address, mine + 1)
    socket.once('close', () => {
      open--
      const left = (byAddress.get(address) ?? 1) - 1
      if (left > 0) byAddress.set(address, left)
      else byAddress.delete(address)
    })
  })
}

/**
 * Errors Node's HTTP parser meets before a request exists (headers too large, a request that took
 * too long, bytes that are not HTTP) answered as the relay's JSON errors instead of bare text.
 */
export function jsonClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy()
      return
    }
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'headers_too_large',
            'The request headers are larger than the relay accepts (16 KiB); send fewer or smaller headers.',
          ]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request_timeout', 'The request took too long to arrive; send it again, faster.']
          : [400, 'bad_request', 'The request is not valid HTTP/1.1.']
    const body = JSON.stringify({ error: { code, message } })
    const reason =
      status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    )
  })
}
