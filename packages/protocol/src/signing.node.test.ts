import fc from 'fast-check'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { sign as packageSign } from '@hookline/protocol'
import { sign as nodeSign } from './signing.node.ts'
import { generateSecret, sign as webSign, verify } from './signing.ts'

describe('sign() on node:crypto', () => {
  it('is what the package gives Node (its `node` export condition)', () => {
    expect(packageSign).toBe(nodeSign)
    expect(packageSign).not.toBe(webSign)
  })

  it('makes byte for byte the headers of WebCrypto and of the standardwebhooks package', async () => {
    const secrets = fc.constantFrom(generateSecret(), generateSecret(), 'whsec_' + btoa('k'.repeat(24)))
    await fc.assert(
      fc.asyncProperty(
        secrets,
        fc.stringMatching(/^msg_[0-9A-Za-z]{1,26}$/),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.string({ unit: 'binary', maxLength: 2000 }),
        fc.boolean(),
        async (secret, id, seconds, text, asBytes) => {
          const body = asBytes ? new TextEncoder().encode(text) : text
          const headers = await nodeSign(secret, id, seconds, body)
          expect(headers).toEqual(await webSign(secret, id, seconds, body))
          // standardwebhooks signs strings only; its timestamp is a Date.
          const standard = new StandardWebhook(secret).sign(id, new Date(seconds * 1000), text)
          expect(headers['webhook-signature']).toBe(standard)
          expect(headers).toEqual({
            'webhook-id': id,
            'webhook-timestamp': String(seconds),
            'webhook-signature': standard,
          })
        },
      ),
      { numRuns: 300 },
    )
  })

  it('carries one signature per secret during a rotation, each verifiable', async () => {
    const [old, fresh] = [generateSecret(), generateSecret()]
    const now = Math.floor(Date.now() / 1000)
    const headers = await nodeSign([fresh, old], 'msg_rot', now, '{"a":1}')
    expect(headers).toEqual(await webSign([fresh, old], 'msg_rot', now, '{"a":1}'))
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect(await verify(old, headers, '{"a":1}')).toMatchObject({ ok: true })
    expect(() => new StandardWebhook(fresh).verify('{"a":1}', { ...headers })).not.toThrow()
  })

  it('rejects a secret that is not base64, as the WebCrypto build does', async () => {
    await expect(nodeSign('whsec_not base64!', 'msg_x', 1, '{}')).rejects.toThrow('invalid secret')
    await expect(webSign('whsec_not base64!', 'msg_x', 1, '{}')).rejects.toThrow('invalid secret')
  })
})
