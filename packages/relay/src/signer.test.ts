import { describe, expect, it } from 'vitest'
import { generateSecret, sign, verify } from '@hookline/protocol'
import { signNode } from './signer.ts'

describe('signNode', () => {
  it('gives the same headers as the protocol package, for one secret and during a rotation', async () => {
    const secrets = [generateSecret(), generateSecret()]
    const body = JSON.stringify({ type: 'checkout-completed', data: { total: 42, note: 'ünïcødé ✓' } })
    for (const list of [secrets.slice(0, 1), secrets]) {
      const node = signNode(list, 'msg_1', 1732363200, body)
      expect(node).toEqual(await sign(list, 'msg_1', 1732363200, body))
      expect(node['webhook-signature'].split(' ')).toHaveLength(list.length)
    }
  })

  it('verifies with each secret', async () => {
    const [a, b] = [generateSecret(), generateSecret()]
    const now = Math.floor(Date.now() / 1000)
    const headers = signNode([a, b], 'msg_2', now, '{}')
    for (const secret of [a, b]) expect(await verify(secret, headers, '{}')).toMatchObject({ ok: true, id: 'msg_2' })
  })

  it('refuses a secret with no bytes, without naming it', () => {
    expect(() => signNode(['whsec_'], 'msg_3', 1, '{}')).toThrow(/decodes to no bytes/)
  })
})
