import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import type { DemoConfig } from '../shared/demo-config.ts'
import { readBody } from './read-body.ts'

export type { DemoConfig }

const TYPES: Partial<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
}

export interface DemoServerOptions {
  /** @default 0 (a free port) */
  port?: number
  /** The built dashboard and prototype (`demo/dist`). */
  root: string
  /** The SDK's and the devtools' script-tag builds, served at `/hookline.js` and `/hookline-devtools.js`. */
  scripts: Record<string, string>
  config: DemoConfig
  /** Added by the `/api` proxy; it never reaches the browser. */
  adminToken: string
}

/**
 * Serves the demo on 127.0.0.1: the dashboard (a single-page app), the prototype (its script tag
 * filled in with this relay and key), the SDK's scripts, `/demo-config.json`, and `/api/*`, a proxy
 * to the relay that adds the admin token (the admin API sends no CORS headers, and the token stays
 * out of the browser). `/api` answers only same-origin requests addressed to a loopback name and
 * carrying `x-hookline-demo`, so neither another site nor DNS rebinding can drive it.
 */
export async function startDemoServer(options: DemoServerOptions) {
  const root = resolve(options.root)
  const server = createServer((request, response) => {
    route(request, options, root)
      .catch((error: unknown) =>
        text(500, `The demo server failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .then((reply) => send(response, reply))
      .catch(() => response.destroy())
  })
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolvePromise)
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections()
        server.close(() => resolveClose())
      }),
  }
}

/** What one request gets back; `send` writes it. */
interface Reply {
  status: number
  type?: string
  body?: string | Buffer
  location?: string
}

function text(status: number, body: string): Reply {
  return { status, type: 'text/plain; charset=utf-8', body }
}

async function route(request: IncomingMessage, options: DemoServerOptions, root: string): Promise<Reply> {
  let path: string
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
  } catch {
    // A malformed escape (`/%E0%A4%A`) is the client's mistake, not the server's end.
    return text(400, 'The path is not valid percent-encoded UTF-8.')
  }
  if (path === '/demo-config.json') {
    if (!isLoopbackHost(request.headers.host)) return text(403, 'The demo config is served to localhost only.')
    return { status: 200, type: TYPES['.json'], body: JSON.stringify(options.config) }
  }
  if (path.startsWith('/api/')) return proxy(request, options.config.relayUrl, options.adminToken)
  const script = options.scripts[path]
  if (script) return { status: 200, type: TYPES['.js'], body: await readFile(script) }
  if (path === '/prototype') return { status: 302, location: '/prototype/' }
  if (path === '/prototype/') {
    const html = await readFile(join(root, 'prototype/index.html'), 'utf8')
    return { status: 200, type: TYPES['.html'], body: fillPrototype(html, options.config) }
  }
  const file = normalize(join(root, path))
  if (!file.startsWith(root)) return text(403, 'Forbidden')
  if (extname(file)) {
    const body = await readFile(file).catch(() => null)
    if (body) return { status: 200, type: TYPES[extname(file)] ?? 'application/octet-stream', body }
    return text(404, 'Not found')
  }
  // The dashboard routes in the browser: any other path is the app.
  return { status: 200, type: TYPES['.html'], body: await readFile(join(root, 'index.html')) }
}

const FORWARDED = ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature']

function jsonError(status: number, code: string, message: string): Reply {
  return { status, type: 'application/json', body: JSON.stringify({ error: { code, message } }) }
}

/**
 * `/api/v1/…` → the relay's `/v1/…`, with the admin token added. The dashboard's calls and its
 * signed sample inbound webhooks (headers and bytes unchanged) both go this way.
 */
async function proxy(request: IncomingMessage, relayUrl: string, adminToken: string): Promise<Reply> {
  const origin = request.headers.origin
  const sameOrigin = origin === undefined || origin === `http://${request.headers.host}`
  if (!isLoopbackHost(request.headers.host) || !sameOrigin || request.headers['x-hookline-demo'] !== '1') {
    return jsonError(403, 'forbidden', 'The demo API proxy serves the dashboard on this machine only.')
  }
  const headers: Record<string, string> = { authorization: `Bearer ${adminToken}` }
  for (const name of FORWARDED) {
    const value = request.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  const method = request.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request, 1024 * 1024)
  const target = relayUrl + (request.url ?? '/').slice('/api'.length)
  const answer = await fetch(target, { method, headers, body }).catch(() => null)
  if (!answer) return jsonError(502, 'relay_unreachable', `The relay at ${relayUrl} did not answer.`)
  return {
    status: answer.status,
    type: answer.headers.get('content-type') ?? 'application/json',
    body: Buffer.from(await answer.arrayBuffer()),
  }
}

/** The prototype's script tag carries placeholders for the relay and the key. */
export function fillPrototype(html: string, config: Pick<DemoConfig, 'relayUrl' | 'testKey'>): string {
  return html.replaceAll('%HOOKLINE_RELAY%', config.relayUrl).replaceAll('%HOOKLINE_KEY%', config.testKey)
}

function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '')
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]'
}

function send(response: ServerResponse, reply: Reply): void {
  if (reply.location !== undefined) response.writeHead(reply.status, { location: reply.location })
  else
    response.writeHead(reply.status, {
      'content-type': reply.type ?? 'text/plain',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
  response.end(reply.body)
}
