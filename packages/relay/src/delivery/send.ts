import http from 'node:http'
import https from 'node:https'
import { SsrfError, type SsrfGuard } from './ssrf.ts'

/** How much of a response body is kept in the attempt log. */
export const LOGGED_BODY_BYTES = 16 * 1024
// Read this much to map a JSON answer into variables; anything longer is read and dropped.
const MAPPED_BODY_BYTES = 64 * 1024
const DISCARD_LIMIT_BYTES = 1024 * 1024

export interface OutgoingRequest {
  url: string
  headers: Record<string, string>
  body: string
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

/**
 * POSTs webhook requests: no redirects followed, a whole-request timeout, the SSRF guard at
 * connect time, and keep-alive connections so a busy endpoint is not re-dialled per event.
 */
export class Sender {
  readonly #http: http.Agent
  readonly #https: https.Agent

  constructor(private readonly guard: SsrfGuard) {
    this.#http = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 })
    this.#https = new https.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 })
  }

  send(request: OutgoingRequest): Promise<SendResult> {
    const target = this.#target(request.url)
    if ('failure' in target) return Promise.resolve({ ...target.failure, latencyMs: 0 })
    return this.#post(target.url, request)
  }

  #post(url: URL, request: OutgoingRequest): Promise<SendResult> {
    const started = performance.now()
    const elapsed = () => Math.round(performance.now() - started)
    return new Promise<SendResult>((resolve) => {
      const client = url.protocol === 'https:' ? https : http
      const req = client.request(url, {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: url.protocol === 'https:' ? this.#https : this.#http,
        lookup: this.guard.lookup,
      })
      // The first outcome wins: an answer, an error, or the whole-request timeout.
      let settled = false
      const timer = setTimeout(() => {
        finish(noResponse(elapsed(), `No response within ${request.timeoutMs} ms (timeout).`, 'timeout'))
        req.destroy()
      }, request.timeoutMs)
      function finish(result: SendResult): void {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(result)
      }
      req.on('error', (error: Error & { code?: string }) => {
        finish(
          error instanceof SsrfError
            ? ssrfResult(error, elapsed())
            : noResponse(elapsed(), describeNetworkError(error, url), 'network'),
        )
      })
      req.on('response', (res) => {
        readAnswer(res, (answer) => {
          finish({ ...answer, latencyMs: elapsed() })
        })
      })
      req.end(request.body)
    })
  }

  // A webhook's URL is parsed and judged once, not per delivery; the address of a name is still
  // judged at each new connection, by the guard's lookup.
  #targets = new Map<string, { url: URL } | { failure: SendResult }>()

  #target(text: string): { url: URL } | { failure: SendResult } {
    let target = this.#targets.get(text)
    if (!target) {
      if (!URL.canParse(text)) target = { failure: noResponse(0, `Invalid URL ${text}`, 'network') }
      else {
        const url = new URL(text)
        // IP literals never pass through `lookup`, so they are judged here, before any socket exists.
        const checked = this.guard.checkUrl(url)
        target = checked.ok ? { url } : { failure: ssrfResult(checked.error, 0) }
      }
      if (this.#targets.size >= 1000) this.#targets.clear()
      this.#targets.set(text, target)
    }
    return target
  }

  close(): void {
    this.#http.destroy()
    this.#https.destroy()
  }
}

function ssrfResult(error: SsrfError, latencyMs: number): SendResult {
  return { ...noResponse(latencyMs, error.message, 'ssrf'), rule: error.rule }
}

function noResponse(latencyMs: number, error: string, failure: NonNullable<SendResult['failure']>): SendResult {
  return { status: 0, headers: null, body: null, latencyMs, error, failure }
}

/**
 * Reads an answer: status, headers and the first 64 KiB of the body; the rest is read and dropped,
 * up to 1 MiB, after which the connection is cut. Calls `done` once it ended, closed or failed.
 */
function readAnswer(res: http.IncomingMessage, done: (answer: Omit<SendResult, 'latencyMs'>) => void): void {
  const chunks: Buffer[] = []
  let kept = 0
  let seen = 0
  res.on('data', (chunk: Buffer) => {
    seen += chunk.length
    if (kept < MAPPED_BODY_BYTES) {
      chunks.push(chunk)
      kept += chunk.length
    }
    if (seen > DISCARD_LIMIT_BYTES) res.destroy()
  })
  const end = () => {
    done({
      status: res.statusCode ?? 0,
      headers: flattenHeaders(res.headers),
      body: Buffer.concat(chunks).subarray(0, MAPPED_BODY_BYTES).toString('utf8'),
      error: null,
    })
  }
  res.on('end', end)
  res.on('close', end)
  res.on('error', end)
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
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
      return `The connection to ${where} was reset before a full response arrived.`
    default:
      return `${error.code ?? 'Network error'} talking to ${where}: ${error.message}`
  }
}
