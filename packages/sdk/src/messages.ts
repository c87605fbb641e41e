/**
 * Every warning the SDK writes to `hl.log` and the console, by code: the one place their texts
 * live. `{0}`, `{1}` stand for the arguments the caller passes (a reason, a name). The npm build
 * writes these texts; the script-tag build ships only the codes (`[hookline] HL07 Failed to fetch`,
 * see `message-code.ts`) and the devtools chunk brings the texts back. docs/messages.md says,
 * per code, what happened and what to do; a test keeps both lists the same.
 */
export const MESSAGES = {
  HL01: 'Not started: the script tag needs data-relay and data-key',
  HL02: 'Page not wired ({0})',
  HL03: 'hl.on() needs a document: ignored',
  HL04: 'Live updates off ({0}): events are still sent',
  HL05: 'devtools not loaded ({0})',
  HL06: 'Session {0} was claimed elsewhere: started a new session {1}',
  HL07: 'Session not claimed yet (relay unreachable: {0})',
  HL08: 'Session not claimed (relay answered {0})',
  HL09: 'track() after destroy(): dropped',
  HL10: 'track("{0}"): props must be an object, left out',
  HL11: 'track("{0}") failed: {1}',
  HL12: 'identify(): {0} without "id" ignored',
  HL13: 'identify(): {0} props over {1} dropped',
  HL14: 'data-hl-props is not a JSON object: {0}',
  HL15: 'hl.on(): {0}; ignored',
  HL16: 'hl.on("{0}"): "{1}" is not a CSS selector; ignored',
  HL17: 'hl.on("{0}"): needs tap, screen or change; ignored',
  HL18: 'No IndexedDB: queue in memory, lost on reload',
  HL19: 'IndexedDB did not open ({0}): queue in memory, lost on reload',
  HL20: 'IndexedDB failed ({0}): queue in memory, lost on reload',
  HL21: 'queue not read: {0}',
  HL22: 'queue over budgetBytes ({0}): oldest evicted',
  HL23: 'No Web Locks: every tab sends its queue (the relay deduplicates)',
  HL24: '{0}; retrying in {1} s',
  HL25: 'Variables not saved ({0})',
  HL26: 'Project config not loaded ({0})',
  HL27: 'No EventSource: variables will not update live',
  HL28: 'Bad stream frame: {0}',
  HL29: 'Stream refused {0}× from id {1}: restarted from now, may miss frames',
  // What `createHookline` throws (a HooklineOptionsError, after `createHookline: option "…" `).
  HL30: 'must be an object like { relay, key }.',
  HL31: 'must be an http(s) URL (got {0}).',
  HL32: 'must be a pk_test_… or pk_live_… key (got {0}).',
  HL33: 'must be an integer {1}–{2} (got {0}).',
  HL34: 'must be "indexeddb" or "memory" (got {0}).',
  HL35: 'must be an object (got {0}).',
  HL36: 'must be a boolean (got {0}).',
} as const

export type MessageCode = keyof typeof MESSAGES

/** What fills a message in: a reason, a name, a count. */
export type MessageArg = string | number

/** A message's full text, its arguments in place. */
export const messageText = (code: MessageCode, args: readonly MessageArg[]): string =>
  MESSAGES[code].replace(/\{(\d)\}/g, (_, index: string) => String(args[Number(index)] ?? ''))
