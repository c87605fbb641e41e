import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * Who may drive the demo server's admin proxy: the dashboard opened from the URL `npm start`
 * printed, and nothing else on the machine. That URL carries a secret made at each start
 * (`?token=`); the server trades it for an HttpOnly, SameSite=Strict cookie and sends the browser
 * on without it. `/api`, the sample signer and `/demo-config.json` then want that cookie, a loopback
 * Host (no DNS rebinding) and a request from the dashboard's own origin.
 */

/** A fresh per-start secret: 192 random bits. */
export function newDemoSecret(): string {
  return randomBytes(24).toString('base64url')
}

/** The cookie's name carries the port: cookies are not kept apart by port, the demo's ports are. */
export function cookieName(port: number): string {
  return `hookline_demo_${port}`
}

export function sessionCookie(port: number, secret: string): string {
  return `${cookieName(port)}=${secret}; Path=/; HttpOnly; SameSite=Strict`
}

/** Whether `given` is the secret, compared in constant time (hashes have one length). */
export function isSecret(given: string | null | undefined, secret: string): boolean {
  if (!given) return false
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(secret))
}

/** The value of one cookie of the request. */
export function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

export function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '')
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]'
}

/**
 * A request the dashboard's own page made: a loopback Host, an `Origin` equal to it (browsers send
 * one with every request that changes something; a GET may come without), and no
 * `Sec-Fetch-Site` other than same-origin.
 */
export function fromOwnOrigin(request: IncomingMessage): boolean {
  const { host, origin } = request.headers
  if (!isLoopbackHost(host)) return false
  const site = request.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin') return false
  const changes = !['GET', 'HEAD'].includes(request.method ?? 'GET')
  if (origin === undefined) return !changes
  return origin === `http://${host}`
}

/**
 * The dashboard's Content-Security-Policy: its own scripts only, calls to its own origin only (the
 * relay is reached through `/api`), never framed. Styles may be inline: Preact sets `style`.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** The prototype runs the designer's page and the SDK, which reaches the relay: it is only kept from being framed. */
export const PROTOTYPE_CSP = "frame-ancestors 'none'"
