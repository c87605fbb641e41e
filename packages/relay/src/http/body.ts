import type { Context } from 'hono'
import { HttpError } from './errors.ts'

/** The media type of a request, lower case, without parameters (`application/json`), or ''. */
export function mediaType(header: string | null | undefined): string {
  return (header ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? ''
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
  const type = mediaType(c.req.header('content-type'))
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
  // Hono types a request body as ReadableStream<any>; the platform gives bytes.
  const reader = (request.body as ReadableStream<Uint8Array>).getReader()
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
  const [only] = chunks
  if (chunks.length === 1 && only) return only
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
