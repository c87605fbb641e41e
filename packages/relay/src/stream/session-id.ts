import { SESSION_ID } from '@hookline/protocol'

/**
 * Session ids as the stream, claims and inbound targets accept them: `ses_` and up to 120 URL-safe
 * characters (protocol's `SESSION_ID`). The SDK makes `ses_` + ULID; the looser rule lets a team's
 * own ids through while keeping the store and the logs free of arbitrary text.
 */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value)
}
