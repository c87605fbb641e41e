import { describe, expect, it } from 'vitest'
import { localInputValue, replayText, sinceIso } from './replay-text.ts'

const none = { delivered: 0, queued: 0, filtered: 0, notFailed: 0 }

describe('replayText', () => {
  it('says how many were queued, and names each reason for the rest', () => {
    expect(replayText({ queued: 3, skipped: { ...none, delivered: 2, filtered: 1 }, more: false })).toBe(
      '3 past events queued to send again, oldest first. Skipped: 2 were delivered already, 1 is left out by the filter.',
    )
    expect(replayText({ queued: 1, skipped: none, more: false })).toBe(
      '1 past event queued to send again, oldest first.',
    )
  })
  it('says so when nothing was queued, and when the cap left more', () => {
    expect(replayText({ queued: 0, skipped: { ...none, notFailed: 4, queued: 1 }, more: false })).toBe(
      'Nothing to send again. Skipped: 1 is already waiting to be sent, 4 never failed.',
    )
    expect(replayText({ queued: 500, skipped: none, more: true })).toContain('There are more')
  })
})

describe('since', () => {
  it('round-trips a local time to the same instant', () => {
    const ms = Date.UTC(2026, 11, 1, 19, 5)
    expect(sinceIso(localInputValue(ms))).toBe(new Date(ms).toISOString())
  })
  it('refuses an empty time in words', () => {
    expect(() => sinceIso('')).toThrow('Pick the time')
  })
})
