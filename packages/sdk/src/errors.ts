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
  // `declare`: set in the constructor only, so the build carries no field declaration beside it.
  declare readonly option: string
  constructor(option: string, message: string) {
    super(`createHookline: option "${option}" ${message}`)
    Object.assign(this, { option })
  }
}

/** The relay answered a request with an error status, or could not be reached (`status` 0). */
export class HooklineRelayError extends HooklineError {
  override name = 'HooklineRelayError'
  declare readonly method: string
  declare readonly url: string
  declare readonly status: number
  constructor(method: string, url: string, status: number, detail: string, options?: { cause?: unknown }) {
    super(`${method} ${url} ${status ? `answered ${status}` : 'failed'}: ${detail}`, options)
    Object.assign(this, { method, url, status })
  }
}

/** The message of anything thrown, for the log. */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Why `name` is refused, for `track()` and `hl.on()`. */
export const notAnEventName = (name: unknown): string =>
  `${JSON.stringify(name)} is not an event name (1–100 of a-z 0-9 . _ : -)`
