/**
 * The base of every error the SDK creates. Only `createHookline` throws (for bad options); at run
 * time errors are caught, written to `hl.log` as warnings and never thrown into the host page.
 */
export class HooklineError extends Error {
  override name = 'HooklineError'
}

/** A bad option passed to `createHookline`; `option` names it. */
export class HooklineOptionsError extends HooklineError {
  override name = 'HooklineOptionsError'
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`createHookline: option "${option}" ${message}`)
  }
}

/** The relay answered a request with an error status, or could not be reached (`status` 0). */
export class HooklineRelayError extends HooklineError {
  override name = 'HooklineRelayError'
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${url} ${status ? `answered ${status}` : 'failed'}: ${detail}`, options)
  }
}

/** The message of anything thrown, for the log. */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Why `name` is refused, for `track()` and `hl.on()`. */
export const notAnEventName = (name: unknown): string =>
  `${JSON.stringify(name)} is not an event name (1–100 of a-z 0-9 . _ : -)`
