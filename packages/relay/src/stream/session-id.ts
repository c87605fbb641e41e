/**
 * Session ids as the stream accepts them: `ses_` and up to 120 URL-safe characters. The SDK makes
 * `ses_` + ULID; the looser rule lets a team's own ids through while keeping the store and the
 * logs free of arbitrary text.
 */
export const SESSION_ID = /^ses_[A-Za-z0-9_-]{1,120}$/

export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value)
}
