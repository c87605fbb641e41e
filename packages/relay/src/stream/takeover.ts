import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { Socket } from 'node:net'

type FreeParser = (parser: unknown, req: IncomingMessage | null, socket: Socket) => void

// Node's own helper that returns a connection's HTTP parser to its pool, as its `upgrade` path
// does; `_http_common` is internal but has exported it unchanged since Node 0.x. Should a Node
// stop exporting it, streams stay with the HTTP server (as before this file), only larger.
const freeParser = loadFreeParser()

function loadFreeParser(): FreeParser | undefined {
  try {
    const common = createRequire(import.meta.url)('node:_http_common') as { freeParser?: unknown }
    return typeof common.freeParser === 'function' ? (common.freeParser as FreeParser) : undefined
  } catch {
    return undefined
  }
}

// The listeners Node's HTTP server puts on every connection it serves.
const SERVER_EVENTS = ['data', 'end', 'close', 'drain', 'error', 'timeout', 'resume', 'pause'] as const

/**
 * Takes an SSE connection away from Node's HTTP server once its response head is written, the way
 * Node hands over an upgraded connection: the parser goes back to its pool, the server's listeners
 * and its request and response objects are let go, and the server stops tracking the connection
 * (so its request timeouts cannot cut a stream). What stays is the bare socket, about 40 % of the
 * memory of a connection the server still holds. The browser sends nothing more on a stream; what
 * it might send is read and dropped, and its end closes the socket.
 */
export function takeOver(incoming: IncomingMessage, outgoing: ServerResponse): Socket {
  const socket = incoming.socket
  const parser = (socket as Socket & { parser?: unknown }).parser
  if (!freeParser || !parser) return socket
  outgoing.detachSocket(socket)
  for (const event of SERVER_EVENTS)
    for (const listener of socket.listeners(event)) socket.off(event, listener as (...args: unknown[]) => void)
  freeParser(parser, incoming, socket)
  socket.on('error', ignore)
  socket.on('end', destroy)
  socket.resume()
  return socket
}

function ignore(): void {
  // A reset is seen as 'close'; the hub releases the connection there.
}

function destroy(this: Socket): void {
  this.destroy()
}
