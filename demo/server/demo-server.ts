import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import { readBody } from './read-body.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
}

/** What the dashboard reads from `/demo-config.json`. */
export interface DemoConfig {
  relayUrl: string
  adminToken: string
  projectId: string
  testKey: string
  /** The seeded listener, so "send a sample inbound webhook" works on it from the first start. */
  listener: { id: string; secret: string }
  mockUrl: string
}

export interface DemoServerOptions {
  /** @default 0 (a free port) */
  port?: number
  /** The built dashboard and prototype (`demo/dist`). */
  root: string
  /** The SDK's and the devtools' script-tag builds, served at `/hookline.js` and `/hookline-devtools.js`. */
  scripts: Record<string, string>
  config: DemoConfig
}

/**
 * Serves the demo on 127.0.0.1: the dashboard (a single-page app), the prototype (its script tag
 * filled in with this relay and key), the SDK's scripts, and `/demo-config.json`, which hands the
 * dashboard the admin token. That endpoint answers only requests addressed to a loopback name, so a
 * web page elsewhere cannot read it by DNS rebinding.
 */
export async function startDemoServer(options: DemoServerOptions) {
  const root = resolve(options.root)
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    try {
      if (path === '/demo-config.json') {
        if (!isLoopbackHost(request.headers.host)) return send(response, 403, 'text/plain; charset=utf-8', 'The demo config is served to localhost only.')
        return send(response, 200, TYPES['.json']!, JSON.stringify(options.config))
      }
      if (path.startsWith('/demo-inbound/') && request.method === 'POST') return forwardInbound(request, response, options.config.relayUrl, path.slice('/demo-inbound/'.length))
      const script = options.scripts[path]
      if (script) return send(response, 200, TYPES['.js']!, await readFile(script))
      if (path === '/prototype') return redirect(response, '/prototype/')
      if (path === '/prototype/') {
        const html = await readFile(join(root, 'prototype/index.html'), 'utf8')
        return send(response, 200, TYPES['.html']!, fillPrototype(html, options.config))
      }
      const file = normalize(join(root, path))
      if (!file.startsWith(root)) return send(response, 403, 'text/plain', 'Forbidden')
      if (extname(file)) {
        const body = await readFile(file).catch(() => null)
        if (body) return send(response, 200, TYPES[extname(file)] ?? 'application/octet-stream', body)
        return send(response, 404, 'text/plain', 'Not found')
      }
      // The dashboard routes in the browser: any other path is the app.
      return send(response, 200, TYPES['.html']!, await readFile(join(root, 'index.html')))
    } catch (error) {
      send(response, 500, 'text/plain; charset=utf-8', `The demo server failed: ${(error as Error).message}`)
    }
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

/**
 * The dashboard signs a sample inbound webhook in the browser and posts it here; this forwards it,
 * headers and bytes unchanged, to the relay's inbound URL (which, made for servers, sends no CORS headers).
 */
async function forwardInbound(request: IncomingMessage, response: ServerResponse, relayUrl: string, listenerId: string): Promise<void> {
  if (!/^lst_[A-Za-z0-9]+$/.test(listenerId)) return send(response, 404, 'text/plain', 'Unknown listener')
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = request.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  const answer = await fetch(`${relayUrl}/v1/inbound/${listenerId}`, { method: 'POST', headers, body: await readBody(request) })
  send(response, answer.status, answer.headers.get('content-type') ?? 'application/json', Buffer.from(await answer.arrayBuffer()))
}

/** The prototype's script tag carries placeholders for the relay and the key. */
export function fillPrototype(html: string, config: Pick<DemoConfig, 'relayUrl' | 'testKey'>): string {
  return html.replaceAll('%HOOKLINE_RELAY%', config.relayUrl).replaceAll('%HOOKLINE_KEY%', config.testKey)
}

function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '')
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]'
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  response.end(body)
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location })
  response.end()
}
