import { describe, expect, it } from 'vitest'
import { ApiError } from '../api.ts'
import { plainError } from './plain-error.ts'

const refused = (rule: string) =>
  new ApiError(400, 'url_not_allowed', `Refused by the SSRF guard (rule ${rule}): Webhook URLs must be https://…`)

describe('plainError', () => {
  it('says in plain words why a URL was refused, and keeps the rule as the detail', () => {
    const scheme = plainError(refused('scheme'))
    expect(scheme.text).toMatch(/must start with https:\/\//)
    // Accurate in the demo's dev mode: plain http to this computer is accepted.
    expect(scheme.text).toContain('http://127.0.0.1')
    expect(scheme.text).not.toMatch(/SSRF|rule/)
    expect(scheme.detail).toContain('rule scheme')
    expect(plainError(refused('private')).text).toMatch(/private network/)
    expect(plainError(refused('valueOf')).text).toBe('Webhooks may not be sent to that address.')
  })

  it('keeps the relay’s own sentence for a 4xx about a field, and names server trouble plainly', () => {
    expect(plainError(new ApiError(400, 'invalid_body', '"url" must be a URL.'))).toEqual({
      text: '"url" must be a URL.',
      detail: 'invalid_body',
    })
    expect(plainError(new ApiError(503, 'unavailable', 'x')).text).toMatch(/Try again/)
    expect(plainError(new ApiError(404, 'not_found', 'No route POST /v1/x.')).text).toMatch(/does not offer/)
    expect(plainError('Pick at least one event.')).toEqual({ text: 'Pick at least one event.' })
  })
})
