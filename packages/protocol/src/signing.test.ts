import fc from 'fast-check'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import { describe, expect, it } from 'vitest'
import { generateSecret, isSecret, sign, verify } from './signing.ts'

const now = () => Math.floor(Date.now() / 1000)

describe('Standard Webhooks signing', () => {
  it('makes whsec_ secrets of 32 random bytes', () => {
    const secret = generateSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(atob(secret.slice(6))).toHaveLength(32)
    expect(isSecret(secret)).toBe(true)
    expect(generateSecret()).not.toBe(secret)
    expect(isSecret('whsec_short')).toBe(false)
  })

  it('signs requests that the standardwebhooks and svix packages verify', async () => {
    const secret = generateSecret()
    const body = JSON.stringify({ type: 'checkout-completed', data: { total: 42, note: 'Grüße 🎉' } })
    const headers = await sign(secret, 'msg_01JD0000000000000000000000', now(), body)
    expect(new StandardWebhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body))
    expect(new SvixWebhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body))
    const fromBytes = await sign(secret, 'msg_01JD0000000000000000000001', now(), new TextEncoder().encode(body))
    expect(new StandardWebhook(secret).verify(body, { ...fromBytes })).toEqual(JSON.parse(body))
    expect(new SvixWebhook(secret).verify(body, { ...fromBytes })).toEqual(JSON.parse(body))
  })

  it('verifies what the standardwebhooks and svix packages sign', async () => {
    const secret = generateSecret()
    const body = '{"hello":"wörld"}'
    const date = new Date()
    const timestamp = String(Math.floor(date.getTime() / 1000))
    const standard = new StandardWebhook(secret).sign('msg_a', date, body)
    const svix = new SvixWebhook(secret).sign('msg_b', date, body)
    const standardHeaders = { 'webhook-id': 'msg_a', 'webhook-timestamp': timestamp, 'webhook-signature': standard }
    const svixHeaders = { 'webhook-id': 'msg_b', 'webhook-timestamp': timestamp, 'webhook-signature': svix }
    expect(await verify(secret, standardHeaders, body)).toMatchObject({ ok: true, id: 'msg_a' })
    expect(await verify(secret, new Headers(svixHeaders), body)).toMatchObject({ ok: true, id: 'msg_b' })
  })

  it('carries one signature per secret during a rotation, and either secret verifies', async () => {
    const [old, fresh] = [generateSecret(), generateSecret()]
    const headers = await sign([fresh, old], 'msg_rot', now(), '{}')
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect(await verify(old, headers, '{}')).toMatchObject({ ok: true })
    expect(await verify(fresh, headers, '{}')).toMatchObject({ ok: true })
    expect(() => new StandardWebhook(old).verify('{}', { ...headers })).not.toThrow()
    expect(() => new SvixWebhook(fresh).verify('{}', { ...headers })).not.toThrow()
  })

  it('gives a distinct reason for each way a request can fail', async () => {
    const secret = generateSecret()
    const body = '{"a":1}'
    const headers = await sign(secret, 'msg_x', now(), body)
    const reason = async (...args: Parameters<typeof verify>) => {
      const result = await verify(...args)
      return result.ok ? 'ok' : result.reason
    }
    expect(await reason(secret, headers, '{"a":2}')).toBe('signature_mismatch')
    expect(await reason(generateSecret(), headers, body)).toBe('signature_mismatch')
    expect(await reason(secret, { ...headers, 'webhook-timestamp': String(now() - 301) }, body)).toBe(
      'timestamp_too_old',
    )
    expect(await reason(secret, { ...headers, 'webhook-timestamp': String(now() + 301) }, body)).toBe(
      'timestamp_too_new',
    )
    expect(await reason(secret, { ...headers, 'webhook-timestamp': 'soon' }, body)).toBe('invalid_timestamp')
    expect(
      await reason(secret, { 'webhook-id': 'msg_x', 'webhook-timestamp': headers['webhook-timestamp'] }, body),
    ).toBe('missing_headers')
    expect(await reason(secret, { ...headers, 'webhook-signature': 'v2,abc' }, body)).toBe('no_v1_signature')
    expect(await reason('not-a-secret!', headers, body)).toBe('invalid_secret')
    const missing = await verify(secret, {}, body)
    expect(!missing.ok && missing.message).toContain('webhook-id, webhook-timestamp, webhook-signature')
  })

  it('accepts a timestamp inside the tolerance and honours a custom one', async () => {
    const secret = generateSecret()
    const headers = await sign(secret, 'msg_t', now() - 200, 'x')
    expect((await verify(secret, headers, 'x')).ok).toBe(true)
    expect((await verify(secret, headers, 'x', { toleranceSeconds: 100 })).ok).toBe(false)
  })

  it('round-trips any body, empty and non-ASCII included, and rejects any change to it', async () => {
    const secret = generateSecret()
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme' }),
        fc.string({ minLength: 1, maxLength: 40 }),
        async (body, id) => {
          const timestamp = now()
          const headers = await sign(secret, id, timestamp, body)
          // The relay signs the bytes it sends: the same signature as for the text.
          expect(await sign(secret, id, timestamp, new TextEncoder().encode(body))).toEqual(headers)
          expect((await verify(secret, headers, body)).ok).toBe(true)
          expect((await verify(secret, headers, new TextEncoder().encode(body))).ok).toBe(true)
          expect((await verify(secret, headers, body + ' ')).ok).toBe(false)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('never throws on arbitrary headers and bodies', async () => {
    const secret = generateSecret()
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'x'), fc.string()),
        fc.string(),
        async (headers, body) => {
          const result = await verify(secret, headers, body)
          expect(result.ok).toBe(false)
        },
      ),
      { numRuns: 300 },
    )
  })
})
