/** A relay admin API error, with the relay's own code and sentence. */
export class AdminError extends Error {
  override name = 'AdminError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export type Admin = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>

/** Calls the relay's admin API with the admin token; throws AdminError on any non-2xx. */
export function adminClient(relayUrl: string, token: string): Admin {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(relayUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    const parsed = text ? (JSON.parse(text) as unknown) : null
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error
      throw new AdminError(
        response.status,
        error?.code ?? 'http_error',
        `${method} ${path} answered ${response.status}: ${error?.message ?? text}`,
      )
    }
    return parsed as T
  }
}
