import { createHmac } from 'node:crypto'
import type { SignedHeaders } from '@hookline/protocol'

const SECRET_PREFIX = 'whsec_'
const MAX_KEYS = 1000
const keys = new Map<string, Buffer>()

/**
 * Standard Webhooks signing on Node's own HMAC: the same headers as `sign()` of
 * `@hookline/protocol`, which stays on WebCrypto so that it runs in browsers too. The dispatcher
 * signs every attempt on its one thread, and a WebCrypto HMAC there costs ≈ 45 µs (a job sent to
 * the thread pool and a promise back) against a few µs for `createHmac`.
 */
export function signNode(secrets: readonly string[], id: string, timestamp: number, body: string): SignedHeaders {
  const signatures = secrets.map((secret) => 'v1,' + createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64'))
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') }
}

/** The secret's bytes, decoded once: a relay signs with the same few secrets all day. */
function keyOf(secret: string): Buffer {
  let key = keys.get(secret)
  if (!key) {
    key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64')
    // Never the secret itself in the message: it would reach the logs.
    if (key.length === 0) throw new Error('A webhook secret decodes to no bytes; rotate the secret.')
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!)
    keys.set(secret, key)
  }
  return key
}
