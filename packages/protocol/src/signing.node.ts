/**
 * `sign()` for Node: the same Standard Webhooks headers, with the HMAC computed by `node:crypto`.
 * WebCrypto's HMAC is a job sent to the thread pool and a promise back (≈ 21 µs of CPU a
 * signature); `createHmac` runs in place (≈ 4 µs), and a relay signs every attempt. The package's
 * `node` entry (`index.node.ts`) exports this `sign`; browsers keep `signing.ts`'s.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto'
import { secretBytes, signWith, type SignatureHmac } from './signing.ts'

// A relay signs with the same few secrets all day: each is decoded once.
const keys = new Map<string, KeyObject>()
const MAX_KEYS = 1000

function secretKey(secret: string): KeyObject {
  let key = keys.get(secret)
  if (!key) {
    const bytes = secretBytes(secret)
    if (!bytes || bytes.length === 0) throw new Error('invalid secret')
    key = createSecretKey(bytes)
    const oldest = keys.keys().next()
    if (keys.size >= MAX_KEYS && !oldest.done) keys.delete(oldest.value)
    keys.set(secret, key)
  }
  return key
}

// Fed in two parts: the body is hashed where it lies, never copied behind its prefix.
const nodeHmac: SignatureHmac = (secret, prefix, body) =>
  createHmac('sha256', secretKey(secret)).update(prefix, 'utf8').update(body).digest('base64')

/** Standard Webhooks signing on `node:crypto`: byte for byte the headers of `signing.ts`'s `sign`. */
export const sign = signWith(nodeHmac)
