import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { parseMasterKey } from './master-key.ts'
import { SecretBox, SEALED_PREFIX } from './secret-box.ts'

const box = new SecretBox(randomBytes(32), 'a test key')
const where = 'webhooks.secret:wh_1'

test('a sealed secret opens to itself in its own place, and reveals nothing of it', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (plain) => {
      const sealed = box.seal(plain, where)
      expect(sealed.startsWith(SEALED_PREFIX)).toBe(true)
      if (plain.length >= 4) expect(sealed).not.toContain(plain)
      expect(box.open(sealed, where)).toBe(plain)
      // A fresh IV each time: the same secret never seals to the same text.
      expect(box.seal(plain, where)).not.toBe(sealed)
    }),
  )
})

test('a sealed value moved to another row, altered, or opened under another key does not open', () => {
  const sealed = box.seal('whsec_abc', where)
  expect(() => box.open(sealed, 'webhooks.secret:wh_2')).toThrow(/altered or moved/)
  expect(() => new SecretBox(randomBytes(32), 'HOOKLINE_MASTER_KEY').open(sealed, where)).toThrow(
    /sealed under master key .+ but this relay's key \(HOOKLINE_MASTER_KEY\)/,
  )
  fc.assert(
    fc.property(fc.nat({ max: sealed.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }), (at, text) => {
      const altered = sealed.slice(0, at) + text + sealed.slice(at + 1)
      fc.pre(altered !== sealed)
      expect(() => box.open(altered, where)).toThrow()
    }),
  )
})

test('anything stored that is not a sealed value is refused, never returned', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 120 }), (text) => {
      expect(() => box.open(text, where)).toThrow()
      expect(() => box.open(SEALED_PREFIX + box.keyId + '.' + text, where)).toThrow()
    }),
  )
})

test('the master key is 32 bytes, base64 or hex, and anything else is a sentence naming the setting', () => {
  const key = randomBytes(32)
  expect(parseMasterKey('HOOKLINE_MASTER_KEY', key.toString('base64'))).toEqual(key)
  expect(parseMasterKey('HOOKLINE_MASTER_KEY', key.toString('hex') + '\n')).toEqual(key)
  for (const bad of ['', 'hunter2', randomBytes(16).toString('base64'), randomBytes(33).toString('hex')])
    expect(() => parseMasterKey('HOOKLINE_MASTER_KEY', bad)).toThrow(/^HOOKLINE_MASTER_KEY must be 32 random bytes/)
})
