import ky, { HTTPError, TimeoutError } from 'ky'
import { errorFromResponse, HooklineApiError } from './error.ts'

export interface ClientOptions {
  /** The relay's URL, like `http://127.0.0.1:8787`; in a browser also a path on the page's origin (`/api`). */
  baseUrl: string
  /** The admin token, sent as `Authorization: Bearer …`. Leave it out behind a proxy that adds it. */
  token?: string
  /** More headers on every request. */
  headers?: Record<string, string>
  /** Per attempt; default 10 000 ms. */
  timeoutMs?: number
  /** Retries of an idempotent call (GET, PUT, DELETE) after a network error, 408, 429 or 5xx; default 2. */
  retries?: number
  /** Another fetch (tests, proxies); default the global one. */
  fetch?: typeof fetch
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type Query = Record<string, string | number | undefined>

/** One call: the relay's JSON answer as it is (nothing for a 204), or a HooklineApiError. */
export type Call = <T>(
  method: Method,
  path: string,
  body?: unknown,
  query?: Query,
  headers?: Record<string, string>,
) => Promise<T>

/** The ky instance behind a client: timeouts, and retries for the methods that may be repeated. */
export function transport(options: ClientOptions): Call {
  const timeout = options.timeoutMs ?? 10_000
  const http = ky.create({
    prefixUrl: options.baseUrl,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    timeout,
    // A POST or PATCH that timed out may have happened: repeating it could create a second webhook.
    retry: {
      limit: options.retries ?? 2,
      methods: ['get', 'put', 'delete'],
      statusCodes: [408, 429, 500, 502, 503, 504],
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  return async <T>(
    method: Method,
    path: string,
    body?: unknown,
    query?: Query,
    headers?: Record<string, string>,
  ): Promise<T> => {
    const what = `${method} ${path}`
    const searchParams = query
      ? Object.fromEntries(
          Object.entries(query).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
        )
      : undefined
    try {
      const response = await http(path.replace(/^\//, ''), {
        method,
        // A string is sent as it is: a signed body must reach the relay byte for byte.
        ...(typeof body === 'string' ? { body } : body === undefined ? {} : { json: body }),
        ...(searchParams ? { searchParams } : {}),
        headers: { ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
      })
      // A 204 (a delete) has no body.
      if (response.status === 204) return undefined as T
      return await response.json<T>()
    } catch (error) {
      if (error instanceof HTTPError) throw await errorFromResponse(error.response, what)
      if (error instanceof TimeoutError)
        throw new HooklineApiError(
          0,
          'timeout',
          `${what} got no answer within ${String(timeout)} ms.`,
          undefined,
          error,
        )
      if (error instanceof TypeError)
        throw new HooklineApiError(
          0,
          'network_error',
          `${what} did not reach the relay: ${error.message}`,
          undefined,
          error,
        )
      throw error
    }
  }
}
