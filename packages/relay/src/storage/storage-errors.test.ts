import fc from 'fast-check'
import { expect, test } from 'vitest'
import { storageTrouble } from './storage-errors.ts'

const coded = (code: string, message = 'x', cause?: unknown) =>
  Object.assign(new Error(message, cause === undefined ? {} : { cause }), { code })

test('a full store is "full", from SQLite, Node or PostgreSQL, also behind a cause', () => {
  for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100'])
    expect(storageTrouble(coded(code, 'no room'))).toEqual({ kind: 'full', cause: `${code}: no room` })
  expect(storageTrouble(new Error('Migration failed', { cause: coded('SQLITE_FULL') }))?.kind).toBe('full')
})

test('an unreachable or exhausted store is "unavailable"', () => {
  for (const code of ['53200', '53300', '57P03', '08006', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'ECONNREFUSED'])
    expect(storageTrouble(coded(code))?.kind).toBe('unavailable')
})

test('anything else is no storage trouble (it stays a 500 or its own status)', () => {
  expect(storageTrouble(new Error('boom'))).toBeUndefined()
  expect(storageTrouble('SQLITE_FULL')).toBeUndefined()
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), (code) => {
      fc.pre(!/^(SQLITE_|E[A-Z]|5[37]|08)/.test(code))
      expect(storageTrouble(coded(code))).toBeUndefined()
    }),
  )
})
