import type { MessageArg, MessageCode } from './messages.ts'

/** Turns a message's code and arguments into the line `hl.log` and the console show. */
export type Describe = (code: MessageCode, args: readonly MessageArg[]) => string

type Devtools = { HooklineDevtools?: { messageText?: Describe } }

/**
 * The script-tag build's messages: the code, its arguments and where the code is explained
 * (`HL07 Failed to fetch (docs/messages.md#hl07)`), so the texts stay out of `hookline.js`. Once
 * the devtools chunk is loaded (`hl.devtools()`), which carries the texts, the full text instead.
 */
export const describeByCode: Describe = (code, args) =>
  (window as Devtools).HooklineDevtools?.messageText?.(code, args) ??
  `${[code, ...args].join(' ')} (docs/messages.md#${code.toLowerCase()})`
