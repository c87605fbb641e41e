import { createClient, HooklineApiError, type HooklineClient, type Method } from '@hookline/client'
import { config } from './demo-config.ts'

/** A failed admin API call, with the relay's status, error code and its sentence for people. */
export { HooklineApiError as ApiError }

/** The sentence to show for anything a promise rejected with. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

let client: HooklineClient | undefined

/**
 * The typed admin API client for the dashboard. Calls go through the demo server's `/api` proxy,
 * which adds the admin token, so the client carries none; the proxy knows the dashboard by the
 * cookie it set when the link `npm start` printed was opened, and by its origin.
 */
export function hookline(): HooklineClient {
  client ??= createClient({ baseUrl: `${location.origin}/api`, retries: 1 })
  return client
}

/**
 * POSTs `body` to one of the demo server's own routes (`/demo/…`), answering its JSON; a refusal
 * is a HooklineApiError like the relay's.
 */
export async function sendToDemo(path: string, body: string): Promise<unknown> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(
    (error: unknown) => {
      throw new HooklineApiError(
        0,
        'demo_unreachable',
        'The demo server did not answer. Is npm start still running?',
        undefined,
        error,
      )
    },
  )
  const answer = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
  if (response.ok) return answer
  throw new HooklineApiError(
    response.status,
    answer?.error?.code ?? 'demo_error',
    answer?.error?.message ?? `The demo server answered ${response.status}.`,
  )
}

/** The demo project's id, which every project method takes first. */
export function projectId(): string {
  return config().projectId
}

/**
 * Calls the relay for the demo project through the client: `api('GET', '/webhooks')` is
 * `GET /v1/projects/:pid/webhooks`. Paths starting with `/v1/` are used as they are. A call that
 * gets no answer says the demo server is gone.
 */
export async function api<T = unknown>(
  method: Method,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  const [route = '', search] = path.split('?')
  const full = route.startsWith('/v1/') ? route : `/v1/projects/${projectId()}${route}`
  const query = search ? Object.fromEntries(new URLSearchParams(search)) : undefined
  try {
    return await hookline().request<T>(method, full, {
      body,
      ...(query ? { query } : {}),
      ...(headers ? { headers } : {}),
    })
  } catch (error) {
    if (error instanceof HooklineApiError && error.status === 0 && error.code === 'network_error')
      throw new HooklineApiError(
        0,
        'demo_unreachable',
        'The demo server did not answer. Is npm start still running?',
        undefined,
        error,
      )
    throw error
  }
}
