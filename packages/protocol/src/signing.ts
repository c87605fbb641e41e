/**
 * Standard Webhooks (https://www.standardwebhooks.com) signing and verification on WebCrypto, so the
 * same code runs in Node 20 and in browsers (in Node, `sign()`'s HMAC is `node:crypto`'s: `signing.node.ts`). A signature is `v1,` + base64 HMAC-SHA256 of
 * `${id}.${timestamp}.${body}` keyed by the secret's 32 bytes.
 */
import { base64ToBytes, bytesToBase64 } from './base64.ts'

const SECRET_PREFIX = 'whsec_'
const encoder = new TextEncoder()

/** A WebCrypto key; named through `crypto` because `CryptoKey` is a global type of the DOM only. */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

/** The three headers of a signed request. */
export interface SignedHeaders {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/** A fresh secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + bytesToBase64(crypto.getRandomValues(new Uint8Array(32)))
}

/** True for a string `generateSecret` could have made (or any `whsec_` secret of 24–64 bytes). */
export function isSecret(secret: unknown): secret is string {
  if (typeof secret !== 'string') return false
  const bytes = secretBytes(secret)
  return bytes !== null && bytes.length >= 24 && bytes.length <= 64
}

/**
 * HMAC-SHA256 keyed by a secret's bytes over `prefix` + `body` (UTF-8), as standard base64: the one
 * step of `sign()` each platform does its own way (WebCrypto here; Node's `createHmac` in
 * `signing.node.ts`, which the package's `node` entry uses). Throws or rejects for a bad secret.
 */
export type SignatureHmac = (secret: string, prefix: string, body: string | Uint8Array) => string | Promise<string>

/** `sign()` on a given HMAC: the headers are the same whichever computes it. */
export function signWith(hmac: SignatureHmac) {
  /**
   * Signs `body` for message `id` at `timestamp` (unix seconds) with one or more secrets; during a
   * rotation pass both, and the header carries both signatures, space-separated.
   * @example await sign(['whsec_…'], 'msg_…', 1732363200, '{"type":"checkout-completed"}')
   */
  return async function sign(
    secrets: string | readonly string[],
    id: string,
    timestamp: number,
    body: string | Uint8Array,
  ): Promise<SignedHeaders> {
    const prefix = `${id}.${String(timestamp)}.`
    const list = typeof secrets === 'string' ? [secrets] : secrets
    const signatures = await Promise.all(list.map(async (secret) => 'v1,' + (await hmac(secret, prefix, body))))
    return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') }
  }
}

const webCryptoHmac: SignatureHmac = async (secret, prefix, body) => {
  const key = await hmacKey(secret)
  return bytesToBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, signedContent(prefix, body))))
}

/** Standard Webhooks signing on WebCrypto (browsers; Node loads `signing.node.ts`'s instead). */
export const sign = signWith(webCryptoHmac)

/** Why a verification failed; each is distinct so a receiver can log and fix the right thing. */
export type VerifyFailure =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_v1_signature'
  | 'signature_mismatch'
  | 'invalid_secret'

/** Request headers: a `Headers` object, a Node-style record (keys in any case), or what `sign` returned. */
export type HeaderSource = Headers | SignedHeaders | Readonly<Record<string, string | string[] | undefined>>

export type VerifyResult =
  { ok: true; id: string; timestamp: number } | { ok: false; reason: VerifyFailure; message: string }

export interface VerifyOptions {
  /** How far the timestamp may be from now, in seconds. @default 300 */
  toleranceSeconds?: number
  /** Now, in unix seconds (tests and replays). @default the clock */
  now?: number
}

/**
 * Verifies a Standard Webhooks request. Any one matching `v1` signature by any of `secrets` passes.
 * Headers may be a `Headers` object or a plain record (keys in any case).
 */
export async function verify(
  secrets: string | readonly string[],
  headers: HeaderSource,
  body: string | Uint8Array,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const id = header(headers, 'webhook-id')
  const timestampText = header(headers, 'webhook-timestamp')
  const signatureText = header(headers, 'webhook-signature')
  if (!id || !timestampText || !signatureText) {
    const missing = [!id && 'webhook-id', !timestampText && 'webhook-timestamp', !signatureText && 'webhook-signature']
    return fail(
      'missing_headers',
      `Missing header ${missing.filter(Boolean).join(', ')}: sign the request by the Standard Webhooks scheme.`,
    )
  }
  if (!/^\d{1,12}$/.test(timestampText)) {
    return fail('invalid_timestamp', 'The webhook-timestamp header must be unix seconds, like 1732363200.')
  }
  const timestamp = Number(timestampText)
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const tolerance = options.toleranceSeconds ?? 300
  if (timestamp < now - tolerance) {
    return fail(
      'timestamp_too_old',
      `The webhook-timestamp is ${now - timestamp} s old, more than the ${tolerance} s allowed: check the sender's clock, or this is a replay.`,
    )
  }
  if (timestamp > now + tolerance) {
    return fail(
      'timestamp_too_new',
      `The webhook-timestamp is ${timestamp - now} s in the future, more than the ${tolerance} s allowed: check the sender's clock.`,
    )
  }
  const candidates = signatureText
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => base64ToBytes(part.slice(3)))
    .filter((bytes): bytes is Uint8Array => bytes !== null)
  if (candidates.length === 0) {
    return fail('no_v1_signature', 'The webhook-signature header holds no "v1,<base64>" signature.')
  }
  const content = signedContent(`${id}.${timestampText}.`, body)
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    let key: HmacKey
    try {
      key = await hmacKey(secret)
    } catch {
      return fail('invalid_secret', 'The verifying secret is not a "whsec_…" secret.')
    }
    for (const candidate of candidates) {
      // subtle.verify compares in constant time.
      if (await crypto.subtle.verify('HMAC', key, candidate as Uint8Array<ArrayBuffer>, content)) {
        return { ok: true, id, timestamp }
      }
    }
  }
  return fail(
    'signature_mismatch',
    'No signature matches: the body was changed after signing, or it was signed with another secret.',
  )
}

function fail(reason: VerifyFailure, message: string): VerifyResult {
  return { ok: false, reason, message }
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const record = headers as Readonly<Record<string, string | string[] | undefined>>
  for (const key in record) {
    if (key.toLowerCase() === name) {
      const value = record[key]
      return Array.isArray(value) ? value[0] : value
    }
  }
  return undefined
}

/**
 * The bytes signed, `${id}.${timestamp}.${body}`, in one allocation: a string body is encoded once
 * with its prefix, a byte body is copied once behind it (WebCrypto signs one buffer, so that copy
 * is the only one left).
 */
function signedContent(prefix: string, body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return encoder.encode(prefix + body)
  // A UTF-16 unit never takes more than 3 bytes of UTF-8; the prefix is short, so the spare room is too.
  const content = new Uint8Array(prefix.length * 3 + body.length)
  const { written } = encoder.encodeInto(prefix, content)
  content.set(body, written)
  return content.subarray(0, written + body.length)
}

/** A secret's key bytes (`whsec_` + base64, or bare base64), or null. */
export function secretBytes(secret: string): Uint8Array | null {
  return base64ToBytes(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret)
}

// Importing a key costs more than the HMAC itself; a relay signs with the same few secrets all day.
const keys = new Map<string, Promise<HmacKey>>()
const MAX_KEYS = 1000

function hmacKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret)
  if (!key) {
    const bytes = secretBytes(secret)
    if (!bytes || bytes.length === 0) return Promise.reject(new Error('invalid secret'))
    key = crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ])
    key.catch(() => keys.delete(secret))
    const oldest = keys.keys().next()
    if (keys.size >= MAX_KEYS && !oldest.done) keys.delete(oldest.value)
    keys.set(secret, key)
  }
  return key
}
