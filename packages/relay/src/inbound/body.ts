import type { IncomingMessage } from 'node:http'
import { LIMITS } from '@hookline/protocol'
import { mediaType, tooLarge } from '../http/body.ts'
import { HttpError } from '../http/errors.ts'

/**
 * Reads an inbound webhook's body as the exact bytes that were signed (the signature covers bytes,
 * not a re-serialized value): 415 for a non-JSON content type, 413 past the limit, read no further.
 * On Node it reads the IncomingMessage itself: building a web `Request` body stream for each
 * webhook costs more than everything else the route does.
 */
export async function readInboundBody(
  request: Request,
  incoming: IncomingMessage | undefined,
  limitBytes: number = LIMITS.inboundBytes,
): Promise<Uint8Array> {
  const type = mediaType(request.headers.get('content-type'))
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `Send the webhook body as application/json; got ${type ? `"${type}"` : 'no content-type'}.`,
    )
  }
  if (Number(request.headers.get('content-length')) > limitBytes) throw tooLarge(limitBytes)
  // Node's request yields Buffers; a web ReadableStream is async-iterable on Node too, though the
  // DOM types do not say so.
  const source: AsyncIterable<Uint8Array> | null = incoming ?? (request.body as AsyncIterable<Uint8Array> | null)
  if (!source) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of source) {
    total += chunk.byteLength
    if (total > limitBytes) throw tooLarge(limitBytes)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, total)
}

/** Parses the signed bytes as JSON; 400 naming the problem when they are not. */
export function parseInboundJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (error) {
    throw new HttpError(400, 'malformed_json', `The webhook body is not valid UTF-8 JSON: ${(error as Error).message}.`)
  }
}
