import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
}

export interface StaticServer {
  url: string
  close(): Promise<void>
}

/**
 * Serves test pages over HTTP on 127.0.0.1 (IndexedDB is refused on data: and about:blank pages).
 * `pages` maps a path to inline HTML; anything else is read from `root`.
 */
export async function serveStatic(options: { root?: string; pages?: Record<string, string> }): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    serve(request, response, options).catch(() => response.writeHead(500).end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: { root?: string; pages?: Record<string, string> },
): Promise<void> {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
  const inline = options.pages?.[path]
  if (inline !== undefined) {
    response.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' })
    response.end(inline)
    return
  }
  if (!options.root) return void response.writeHead(404).end()
  const file = normalize(join(options.root, path))
  if (!file.startsWith(normalize(options.root))) return void response.writeHead(403).end()
  try {
    const body = await readFile(file)
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    })
    response.end(body)
  } catch {
    response.writeHead(404).end()
  }
}
