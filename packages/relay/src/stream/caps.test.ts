import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { StreamCaps } from './caps.ts'

describe('StreamCaps', () => {
  test('never holds more than either limit, and is back to nothing once every stream is released', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(
          fc.oneof(
            fc.record({ open: fc.constantFrom('k1', 'k2'), from: fc.constantFrom('a1', 'a2', 'a3') }),
            fc.record({ release: fc.nat(), twice: fc.boolean() }),
          ),
          { maxLength: 80 },
        ),
        (perKey, perAddress, steps) => {
          const caps = new StreamCaps({ perKey, perAddress })
          const held: { key: string; address: string; release: () => void }[] = []
          for (const step of steps) {
            if ('open' in step) {
              const admitted = caps.admit(step.open, step.from)
              const byKey = held.filter((s) => s.key === step.open).length
              const byAddress = held.filter((s) => s.address === step.from).length
              // Admitted exactly when both counts have room; refused by the first one full.
              if (byKey >= perKey) expect(admitted).toBe('key')
              else if (byAddress >= perAddress) expect(admitted).toBe('address')
              else {
                expect(typeof admitted).toBe('function')
                held.push({ key: step.open, address: step.from, release: admitted as () => void })
              }
            } else if (held.length > 0) {
              const [stream] = held.splice(step.release % held.length, 1)
              stream!.release()
              if (step.twice) stream!.release() // a second release of one stream frees nothing more
            }
            for (const key of ['k1', 'k2'])
              for (const address of ['a1', 'a2', 'a3'])
                expect(caps.open(key, address)).toEqual({
                  key: held.filter((s) => s.key === key).length,
                  address: held.filter((s) => s.address === address).length,
                })
          }
          for (const stream of held) stream.release()
          expect(caps.open('k1', 'a1')).toEqual({ key: 0, address: 0 })
        },
      ),
    )
  })
})
