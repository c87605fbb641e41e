import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorBody } from '@hookline/protocol'
import type { Logger } from './log.ts'

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
  return new HttpError(
    400,
    'invalid_input',
    problems.length ? `${message}: ${problems[0]!.path || 'body'}: ${problems[0]!.message}` : message,
    { problems },
  )
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return details ? { error: { code, message, details } } : { error: { code, message } }
}

/** The one place where thrown errors become responses; anything unexpected is a logged 500. */
export function onError(log: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof HttpError) return c.json(errorBody(error.code, error.message, error.details), error.status)
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

/**
 * Reads a JSON request body with a byte limit: 413 over the limit, 415 for another content type,
 * 400 for malformed JSON. `text/plain` is accepted only when `allowText` (sendBeacon).
 */
export async function readJson(
  c: Context,
  limitBytes: number,
  options: { allowText?: boolean } = {},
): Promise<{ value: unknown; text: boolean }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const isJson = type === 'application/json' || type.endsWith('+json')
  const isText = options.allowText === true && type === 'text/plain'
  if (!isJson && !isText) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `Send the body as application/json${options.allowText ? ' (or text/plain holding JSON, for sendBeacon)' : ''}; got ${type ? `"${type}"` : 'no content-type'}.`,
    )
  }
  const declared = Number(c.req.header('content-length'))
  if (declared > limitBytes) throw tooLarge(limitBytes)
  const bytes = await readLimited(c.req.raw, limitBytes)
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (error) {
    throw new HttpError(400, 'malformed_json', `The body is not valid UTF-8 JSON: ${(error as Error).message}.`)
  }
  return { value, text: isText }
}

export function tooLarge(limitBytes: number): HttpError {
  return new HttpError(
    413,
    'payload_too_large',
    `The body is larger than the ${Math.round(limitBytes / 1024)} KiB limit; send less at a time.`,
    { limitBytes },
  )
}

async function readLimited(request: Request, limitBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array()
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limitBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge(limitBytes)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]!
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
