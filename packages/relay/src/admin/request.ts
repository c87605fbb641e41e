import type { Context } from 'hono'
import type * as v from 'valibot'
import { run } from '@hookline/protocol'
import { readJson } from '../http/body.ts'
import { HttpError, invalidInput } from '../http/errors.ts'

const ADMIN_BODY_BYTES = 256 * 1024

/** Reads and validates a JSON admin body against a valibot schema; 400 naming the first problem. */
export async function adminBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
  what: string,
  limitBytes = ADMIN_BODY_BYTES,
): Promise<v.InferOutput<S>> {
  const { value } = await readJson(c, limitBytes)
  const checked = run(schema, value)
  if (!checked.ok) throw invalidInput(`The ${what} is not valid`, checked.problems)
  return checked.value
}

/** `?limit=` as 1–200, default 50; 400 for anything else. */
export function readLimit(text: string | undefined): number {
  if (text === undefined) return 50
  const limit = Number(text)
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new HttpError(400, 'invalid_query', `"limit" must be a whole number 1–200 (got "${text.slice(0, 20)}").`)
  return limit
}

/** The cursor of the next page: the last id of a full page, or null after the last one. */
export function nextCursor(page: { id: string }[], limit: number): string | null {
  return page.length === limit ? (page.at(-1)?.id ?? null) : null
}

/** Whether a request carries a body at all (an optional admin body may be left out entirely). */
export function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length')
  if (length !== null) return Number(length) !== 0
  return request.headers.has('content-type') || request.headers.has('transfer-encoding')
}
