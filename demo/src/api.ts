import { config } from './demo-config.ts'

/** A failed admin API call, with the relay's error code and its sentence for people. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** The sentence to show for anything a promise rejected with. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Calls the relay's admin API for the demo project: `api('GET', '/webhooks')` is
 * `GET /v1/projects/:pid/webhooks`. Paths starting with `/v1/` are used as they are. Calls go
 * through the demo server's `/api` proxy, which adds the admin token.
 */
export async function api<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const { projectId } = config()
  const url = '/api' + (path.startsWith('/v1/') ? path : `/v1/projects/${projectId}${path}`)
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers: {
        'x-hookline-demo': '1',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'demo_unreachable', 'The demo server did not answer. Is npm start still running?')
  }
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = null
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `${method} ${path} answered ${response.status}.`,
    )
  }
  return parsed as T
}
