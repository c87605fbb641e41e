import { expect, test } from 'vitest'
import { createLogger } from './log.ts'

test('log lines are JSON and never carry a secret', () => {
  const lines: string[] = []
  const log = createLogger(true, (line) => lines.push(line))
  log.info('webhook created', {
    webhookId: 'wh_1',
    secret: 'whsec_abc',
    adminToken: 'x',
    note: 'key pk_test_AbCdEf0123456789xyz and whsec_Zm9vYmFy',
  })
  log.error('failed', { error: new Error('bad signature for whsec_Zm9vYmFy') })
  const [first, second] = lines.map((line) => JSON.parse(line))
  expect(first).toMatchObject({
    level: 'info',
    msg: 'webhook created',
    webhookId: 'wh_1',
    secret: '[redacted]',
    adminToken: '[redacted]',
  })
  expect(first.note).toBe('key pk_test_[redacted] and whsec_[redacted]')
  expect(second.error).toBe('bad signature for whsec_[redacted]')
  expect(lines.join('\n')).not.toMatch(/whsec_[A-Za-z0-9]|pk_test_[A-Za-z0-9]/)
})

test('a disabled logger writes nothing', () => {
  const lines: string[] = []
  createLogger(false, (line) => lines.push(line)).info('x')
  expect(lines).toEqual([])
})
