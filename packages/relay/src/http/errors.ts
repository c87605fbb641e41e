import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorBody } from '@hookline/protocol'
import type { Logger } from '../observability/log.ts'
import { storageTrouble } from '../storage/storage-errors.ts'

/**
 * An error that carries its HTTP status and a stable snake_case code; `app.onError` turns it into
 * the contract's `{"error":{"code","message","details"}}`. The message is a sentence a person can act on.
 * @example throw new HttpError(404, 'webhook_not_found', `No webhook ${id} in this project.`)
 */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** A 400 for a body or query that failed validation; `problems` lists each `{path, message}`. */
export function invalidInput(message: string, problems: { path: string; message: string }[]): HttpError {
  const [first] = problems
  return new HttpError(
    400,
    'invalid_input',
    first ? `${message}: ${first.path || 'body'}: ${first.message}` : message,
    { problems },
  )
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return details ? { error: { code, message, details } } : { error: { code, message } }
}

/** Seconds a client should wait after a 503 `storage_unavailable`: room is made by a person, a reconnect is quick. */
export const STORAGE_RETRY_AFTER = { full: 30, unavailable: 5 } as const

/**
 * The one place where thrown errors become responses: a full or unreachable store is a 503
 * `storage_unavailable` with Retry-After (nothing of the request was kept; send it again), with
 * the cause in the log; anything else unexpected is a logged 500.
 */
export function onError(log: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof HttpError) return c.json(errorBody(error.code, error.message, error.details), error.status)
    const trouble = storageTrouble(error)
    if (trouble) {
      log.error('storage unavailable', {
        kind: trouble.kind,
        cause: trouble.cause,
        method: c.req.method,
        path: c.req.path,
      })
      const message =
        trouble.kind === 'full'
          ? 'The relay could not store this: its storage is full. Nothing of this request was kept; send it again later.'
          : 'The relay could not reach its storage. Nothing of this request was kept; send it again later.'
      c.header('retry-after', String(STORAGE_RETRY_AFTER[trouble.kind]))
      return c.json(errorBody('storage_unavailable', message, { reason: trouble.kind }), 503)
    }
    // Hono's own HTTPException (from its middleware, e.g. a body limit) carries a status too.
    const status = (error as { status?: unknown }).status
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return c.json(
        errorBody('bad_request', error.message || 'The request could not be processed.'),
        status as ContentfulStatusCode,
      )
    }
    log.error('unhandled error', { method: c.req.method, path: c.req.path, error: error.stack ?? String(error) })
    return c.json(
      errorBody('internal_error', 'The relay failed to handle this request; it has been logged. Try again.'),
      500,
    )
  }
}

/** JSON 404 for routes that do not exist. */
export function notFound(c: Context) {
  return c.json(
    errorBody('not_found', `No route ${c.req.method} ${c.req.path}. See the relay README for the API.`),
    404,
  )
}
