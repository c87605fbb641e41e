import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'

/** An answer read from a given loopback address; a 200 stream stays open (`response`) until closed. */
export interface AddressedAnswer {
  status: number
  headers: IncomingHttpHeaders
  /** The body parsed as JSON (text when it is not), or undefined for a stream left open. */
  body: any
  response: IncomingMessage
  close(): void
}

/**
 * A request from `localAddress` (any of 127.0.0.0/8 on Linux), so a test can be several client
 * addresses at once. A `text/event-stream` 200 resolves at its head and stays open; anything else
 * resolves with its whole body.
 */
export function requestFrom(
  baseUrl: string,
  path: string,
  localAddress: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<AddressedAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      baseUrl + path,
      { method: init.method ?? 'GET', headers: init.headers, localAddress, agent: false },
      (res) => {
        const answer = (body: unknown): AddressedAnswer => ({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          response: res,
          close: () => res.destroy(),
        })
        if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream')) {
          res.on('error', () => {})
          resolve(answer(undefined))
          return
        }
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => {
          let body: unknown = text
          try {
            body = JSON.parse(text)
          } catch {
            // Not JSON: the text itself.
          }
          resolve(answer(body))
        })
      },
    )
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path} within 10 s`)))
    req.on('error', reject)
    req.end(init.body)
  })
}
