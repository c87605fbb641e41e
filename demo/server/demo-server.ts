import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import type { DemoConfig } from '../shared/demo-config.ts'
import {
  cookie,
  cookieName,
  DASHBOARD_CSP,
  fromOwnOrigin,
  isLoopbackHost,
  isSecret,
  newDemoSecret,
  PROTOTYPE_CSP,
  sessionCookie,
} from './access.ts'
import { readBody } from './read-body.ts'
import { signAndSend, type SeededListener } from './sign-sample.ts'

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
  /** The SDK's and the devtools' script-tag builds, served at `/hookline.js` (its live chunk at `/hookline-live.js` beside it) and `/hookline-devtools.js`. */
  scripts: Record<string, string>
  config: DemoConfig
  /** Added by the `/api` proxy; it never reaches the browser. */
  adminToken: string
  /** The seeded listener and its secret, which stays here: samples for it are signed by the server. */
  listener?: SeededListener
  /** The secret of this start, in the URL to open. @default a fresh random one */
  secret?: string
}

/** Where the server is, and the URL to open: it carries this start's secret, once. */
export interface DemoServer {
  url: string
  openUrl: string
  close(): Promise<void>
}

/** Everything a request is checked against. */
interface Served extends DemoServerOptions {
  secret: string
  port: number
}

/**
 * Serves the demo on 127.0.0.1: the dashboard (a single-page app, with a strict CSP and never
 * framed), the prototype (its script tag filled in with this relay and key), the SDK's scripts,
 * `/demo-config.json` (nothing secret in it), `/api/*`, a proxy to the relay that adds the admin
 * token (the admin API sends no CORS headers, and the token stays out of the browser), and
 * `/demo/sample`, which signs samples for the seeded listener. The last three answer only the
 * browser that opened `openUrl` (`access.ts`): not another site, not DNS rebinding, not another
 * process on the machine.
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const root = resolve(options.root)
  const secret = options.secret ?? newDemoSecret()
  // The port is known once listening; nothing is served before.
  const served: Served = { ...options, secret, port: 0 }
  const server = createServer((request, response) => {
    route(request, served, root)
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
  const { port } = server.address() as AddressInfo
  served.port = port
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    openUrl: `${url}/?token=${secret}`,
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
  /** Extra headers: the session cookie, the CSP. */
  headers?: Record<string, string>
}

function text(status: number, body: string): Reply {
  return { status, type: 'text/plain; charset=utf-8', body }
}

async function route(request: IncomingMessage, options: Served, root: string): Promise<Reply> {
  let path: string
  let url: URL
  try {
    url = new URL(request.url ?? '/', 'http://x')
    path = decodeURIComponent(url.pathname)
  } catch {
    // A malformed escape (`/%E0%A4%A`) is the client's mistake, not the server's end.
    return text(400, 'The path is not valid percent-encoded UTF-8.')
  }
  // The URL `npm start` printed: its secret becomes the session cookie, and leaves the address bar.
  const token = url.searchParams.get('token')
  if (token !== null && request.method === 'GET' && isLoopbackHost(request.headers.host)) {
    if (!isSecret(token, options.secret))
      return text(403, 'This link is from another start of the demo: open the one npm start printed last.')
    url.searchParams.delete('token')
    return {
      status: 302,
      location: url.pathname + url.search,
      headers: { 'set-cookie': sessionCookie(options.port, options.secret) },
    }
  }
  if (path === '/demo-config.json' || path.startsWith('/api/') || path.startsWith('/demo/')) {
    const refused = refusal(request, options)
    if (refused) return refused
    if (path === '/demo-config.json') return { status: 200, type: TYPES['.json'], body: JSON.stringify(options.config) }
    if (path.startsWith('/api/')) return proxy(request, options.config.relayUrl, options.adminToken)
    return sample(request, path, options)
  }
  const script = options.scripts[path]
  if (script) return { status: 200, type: TYPES['.js'], body: await readFile(script) }
  if (path === '/prototype') return { status: 302, location: '/prototype/' }
  if (path === '/prototype/') {
    const html = await readFile(join(root, 'prototype/index.html'), 'utf8')
    return {
      status: 200,
      type: TYPES['.html'],
      body: fillPrototype(html, options.config),
      headers: { 'content-security-policy': PROTOTYPE_CSP, 'x-frame-options': 'DENY' },
    }
  }
  const file = normalize(join(root, path))
  if (!file.startsWith(root)) return text(403, 'Forbidden')
  if (extname(file)) {
    const body = await readFile(file).catch(() => null)
    if (body) return { status: 200, type: TYPES[extname(file)] ?? 'application/octet-stream', body }
    return text(404, 'Not found')
  }
  // The dashboard routes in the browser: any other path is the app.
  return {
    status: 200,
    type: TYPES['.html'],
    body: await readFile(join(root, 'index.html')),
    headers: { 'content-security-policy': DASHBOARD_CSP, 'x-frame-options': 'DENY' },
  }
}

/** Why the dashboard's own routes refuse this request (403 JSON), or undefined when they serve it. */
function refusal(request: IncomingMessage, options: Served): Reply | undefined {
  if (!fromOwnOrigin(request))
    return jsonError(403, 'forbidden', 'The demo server serves its dashboard to its own page on this machine only.')
  if (!isSecret(cookie(request, cookieName(options.port)), options.secret))
    return jsonError(
      403,
      'demo_link_required',
      "Open the dashboard from the link npm start printed (it carries this start's secret).",
    )
  return undefined
}

/** `POST /demo/sample/:listenerId`: a sample for the seeded listener, signed here (`sign-sample.ts`). */
async function sample(request: IncomingMessage, path: string, options: Served): Promise<Reply> {
  const listener = options.listener
  if (request.method !== 'POST' || !listener || path !== `/demo/sample/${listener.id}`)
    return jsonError(404, 'not_found', 'The demo server signs samples for its seeded listener only.')
  const answer = await signAndSend(options.config.relayUrl, listener, await readBody(request, 64 * 1024))
  return answer ?? jsonError(502, 'relay_unreachable', `The relay at ${options.config.relayUrl} did not answer.`)
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

function send(response: ServerResponse, reply: Reply): void {
  if (reply.location !== undefined) response.writeHead(reply.status, { location: reply.location, ...reply.headers })
  else
    response.writeHead(reply.status, {
      'content-type': reply.type ?? 'text/plain',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...reply.headers,
    })
  response.end(reply.body)
}
