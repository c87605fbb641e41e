import type { IncomingHttpHeaders } from 'node:http'
import { Agent, type Dispatcher } from 'undici'
import { SsrfError, type SsrfGuard } from './ssrf.ts'

/** How much of a response body is kept in the attempt log. */
export const LOGGED_BODY_BYTES = 16 * 1024
// Read this much to map a JSON answer into variables; anything longer is read and dropped.
const MAPPED_BODY_BYTES = 64 * 1024
const DISCARD_LIMIT_BYTES = 1024 * 1024
// The longest webhook timeout: connecting may take all of it, the request's own timer decides.
const CONNECT_TIMEOUT_MS = 30_000

export interface OutgoingRequest {
  url: string
  headers: Record<string, string>
  /** The body's bytes, built once: the same buffer is signed and sent. */
  body: Uint8Array | string
  timeoutMs: number
}

/** What came back (or did not). `status` is 0 when no response arrived. */
export interface SendResult {
  status: number
  headers: Record<string, string> | null
  /** Up to 64 KiB of the body, as text (the log keeps the first 16 KiB). */
  body: string | null
  latencyMs: number
  error: string | null
  /** `timeout`, `network` or `ssrf` when no response came. */
  failure?: 'timeout' | 'network' | 'ssrf'
  /** The SSRF rule that refused the address. */
  rule?: string
}

/** A webhook URL, parsed and judged once. */
interface Target {
  url: URL
  origin: string
  path: string
}

/**
 * One request and its answer, as undici's dispatch handler: status, headers and the first 64 KiB
 * of the body; the rest is read and dropped, up to 1 MiB, after which the connection is cut. The
 * first outcome wins: an answer, an error, or the whole-request timeout.
 */
class Exchange implements Dispatcher.DispatchHandler {
  readonly #started = performance.now()
  readonly #timer: NodeJS.Timeout
  #controller: Dispatcher.DispatchController | null = null
  #settled = false
  #status = 0
  #headers: Record<string, string> | null = null
  #chunks: Buffer[] = []
  #kept = 0
  #seen = 0

  constructor(
    private readonly url: URL,
    timeoutMs: number,
    private readonly resolve: (result: SendResult) => void,
  ) {
    this.#timer = setTimeout(() => {
      this.#finish(noResponse(this.#elapsed(), `No response within ${timeoutMs} ms (timeout).`, 'timeout'))
      this.#controller?.abort(new Error('timeout'))
    }, timeoutMs)
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    // Timed out while waiting for a connection: never sent, so never delivered behind our back.
    if (this.#settled) controller.abort(new Error('timeout'))
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    // 1xx informational answers come before the real one.
    if (status < 200) return
    this.#status = status
    this.#headers = flattenHeaders(headers)
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#seen += chunk.length
    if (this.#kept < MAPPED_BODY_BYTES) {
      this.#chunks.push(chunk)
      this.#kept += chunk.length
    }
    if (this.#seen > DISCARD_LIMIT_BYTES) controller.abort(new Error('response too large'))
  }

  onResponseEnd(): void {
    this.#answer()
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error & { code?: string }): void {
    // Cut off after the head arrived (a reset, or a body past 1 MiB): the status still counts.
    if (this.#status !== 0) this.#answer()
    else if (error instanceof SsrfError) this.#finish(ssrfResult(error, this.#elapsed()))
    else this.#finish(noResponse(this.#elapsed(), describeNetworkError(error, this.url), 'network'))
  }

  #answer(): void {
    const body =
      this.#chunks.length === 1 && this.#chunks[0]
        ? this.#chunks[0].toString('utf8', 0, MAPPED_BODY_BYTES)
        : Buffer.concat(this.#chunks).toString('utf8', 0, MAPPED_BODY_BYTES)
    this.#finish({ status: this.#status, headers: this.#headers, body, latencyMs: this.#elapsed(), error: null })
  }

  #finish(result: SendResult): void {
    if (this.#settled) return
    this.#settled = true
    clearTimeout(this.#timer)
    this.resolve(result)
  }

  #elapsed(): number {
    return Math.round(performance.now() - this.#started)
  }
}

/**
 * POSTs webhook requests on undici: keep-alive connections per origin (up to 256 each), no
 * redirects followed, a whole-request timeout, and the SSRF guard deciding at connect time on the
 * resolved address (its `lookup` is the connector's). Requests are not pipelined: a POST to an
 * endpoint we do not run could hold every request queued behind it on that connection until its
 * timeout (head-of-line blocking), and pipelining gained nothing measurable on loopback.
 */
export class Sender {
  readonly #agent: Agent
  readonly #guard: SsrfGuard

  constructor(guard: SsrfGuard) {
    this.#agent = new Agent({
      connections: 256,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      // The request's own timer is the only timeout; undici's would fire with other messages.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { lookup: guard.lookup, timeout: CONNECT_TIMEOUT_MS },
    })
    this.#guard = guard
  }

  send(request: OutgoingRequest): Promise<SendResult> {
    const target = this.#target(request.url)
    if ('failure' in target) return Promise.resolve({ ...target.failure, latencyMs: 0 })
    return new Promise((resolve) => {
      const exchange = new Exchange(target.url, request.timeoutMs, resolve)
      this.#agent.dispatch(
        { origin: target.origin, path: target.path, method: 'POST', headers: request.headers, body: request.body },
        exchange,
      )
    })
  }

  // A webhook's URL is parsed and judged once, not per delivery; the address of a name is still
  // judged at each new connection, by the guard's lookup.
  #targets = new Map<string, Target | { failure: SendResult }>()

  #target(text: string): Target | { failure: SendResult } {
    let target = this.#targets.get(text)
    if (!target) {
      target = this.#judge(text)
      if (this.#targets.size >= 1000) this.#targets.clear()
      this.#targets.set(text, target)
    }
    return target
  }

  #judge(text: string): Target | { failure: SendResult } {
    if (!URL.canParse(text)) return { failure: noResponse(0, `Invalid URL ${text}`, 'network') }
    const url = new URL(text)
    // IP literals never pass through `lookup`, so they are judged here, before any socket exists.
    const checked = this.#guard.checkUrl(url)
    if (!checked.ok) return { failure: ssrfResult(checked.error, 0) }
    return { url, origin: url.origin, path: url.pathname + url.search }
  }

  /** Closes every connection; attempts still running end as network failures. */
  close(): void {
    void this.#agent.destroy().catch(() => {})
  }
}

function ssrfResult(error: SsrfError, latencyMs: number): SendResult {
  return { ...noResponse(latencyMs, error.message, 'ssrf'), rule: error.rule }
}

function noResponse(latencyMs: number, error: string, failure: NonNullable<SendResult['failure']>): SendResult {
  return { status: 0, headers: null, body: null, latencyMs, error, failure }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function describeNetworkError(error: Error & { code?: string }, url: URL): string {
  const where = `${url.hostname}${url.port ? ':' + url.port : ''}`
  switch (error.code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${where}: is the endpoint running?`
    case 'ENOTFOUND':
      return `The host ${url.hostname} does not resolve (DNS).`
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `The connection to ${where} was closed before a full response arrived.`
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `Connecting to ${where} took longer than ${CONNECT_TIMEOUT_MS / 1000} s.`
    default:
      return `${error.code ?? 'Network error'} talking to ${where}: ${error.message}`
  }
}
