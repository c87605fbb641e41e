import type { ErrorDetail } from '@hookline/protocol'

/**
 * A call the relay refused or could not answer. `status`, `code` (snake_case, stable) and
 * `message` (a sentence a person can act on) are the relay's; `details` too when it sent some (a
 * 400 lists `details.problems`). `cause` is the `Response`, or for a call that got no answer
 * (`status` 0, `code` `network_error` or `timeout`), the error that ended it.
 */
export class HooklineApiError extends Error {
  override name = 'HooklineApiError' as const
  readonly status: number
  readonly code: string
  readonly details: ErrorDetail['details']

  constructor(status: number, code: string, message: string, details?: ErrorDetail['details'], cause?: unknown) {
    super(message, { cause })
    this.status = status
    this.code = code
    this.details = details
  }
}

/** The relay's error from a non-2xx response; one without the contract's JSON still gets a sentence. */
export async function errorFromResponse(response: Response, what: string): Promise<HooklineApiError> {
  let detail: Partial<ErrorDetail> | undefined
  try {
    detail = ((await response.clone().json()) as { error?: Partial<ErrorDetail> } | null)?.error
  } catch {
    // Not JSON (a proxy's HTML page): the status says what it can.
  }
  return new HooklineApiError(
    response.status,
    typeof detail?.code === 'string' ? detail.code : 'http_error',
    typeof detail?.message === 'string' ? detail.message : `${what} answered ${String(response.status)}.`,
    detail?.details,
    response,
  )
}
