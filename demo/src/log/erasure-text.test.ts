import { describe, expect, it } from 'vitest'
import { erasureQuestion, erasureText } from './erasure-text.ts'

describe('erasure in words', () => {
  it('asks, naming the subject and everything that goes', () => {
    const question = erasureQuestion({ kind: 'session', id: 'ses_1' })
    expect(question).toContain("this visitor's session (ses_1)")
    for (const part of ['events', 'stored variables', 'request and response bodies', 'cancels', 'cannot be undone'])
      expect(question).toContain(part)
    expect(erasureQuestion({ kind: 'user', id: 'u_9' })).toContain('the user u_9, in every session')
    expect(erasureQuestion({ kind: 'user', id: 'u_9' })).toContain('before they were identified')
    expect(question).not.toContain('before they were identified')
  })
  it('says each count, singular or plural', () => {
    expect(
      erasureText(
        { kind: 'session', id: 'ses_1' },
        { erased: { events: 3, attempts: 1, frames: 2, deliveriesCancelled: 0 } },
      ),
    ).toBe(
      "Erased this visitor's session (ses_1): 3 events deleted, the bodies of 1 attempt wiped, 2 stored variable updates deleted, 0 waiting deliveries cancelled.",
    )
  })
})
