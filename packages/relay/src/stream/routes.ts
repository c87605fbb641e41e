import type { Socket } from 'node:net'
import { Hono } from 'hono'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import type { KeyScope } from '../domain/keys.ts'
import { requireHub, type RelayContext } from '../context.ts'
import type { RelayEnv } from '../http/env.ts'
import { HttpError } from '../http/errors.ts'
import { browserAccess } from '../http/middleware/browser-access/index.ts'
import { clientAddress, rateLimit } from '../http/middleware/rate-limit/index.ts'
import type { StreamCaps } from './caps.ts'
import type { StreamClient } from './client.ts'
import type { Hub } from './hub.ts'
import { isSessionId } from './session-id.ts'
import { takeOver } from './takeover.ts'

/**
 * `GET /v1/stream?session=ses_…`: the session's Server-Sent Events (publishable key by
 * `Authorization: Bearer` or `?key=`, since EventSource cannot set headers). `Last-Event-ID` (the
 * header EventSource sends on reconnect, or `?lastEventId=`) replays the `vars` frames missed since.
 *
 * The response is written straight to the socket, without chunked encoding (the body ends when the
 * connection does, as HTTP/1.1 allows): each frame is then one socket write of bytes shared by
 * every connection it goes to. Once the head is out the socket is taken away from Node's HTTP server
 * (`takeover.ts`), so an idle stream holds nothing but its socket.
 */
export function streamRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  app.use('/v1/stream', browserAccess(ctx.keys))

  app.get('/v1/stream', rateLimit(ctx.connectLimiter), async (c) => {
    const hub = requireHub(ctx)
    const session = c.req.query('session')
    if (!isSessionId(session)) {
      throw new HttpError(
        400,
        'invalid_session',
        'Name the session to stream as "?session=ses_…" (the SDK\'s session id: ses_ and up to 120 letters, digits, _ or -).',
      )
    }
    const lastEventId = parseLastEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId'))
    const release = admitStream(ctx.streamCaps, c.var.key.hash, clientAddress(c), (name, value) => {
      c.header(name, value)
    })
    try {
      await requireToken(ctx, c.var.key, session, c.req.query('token'))
    } catch (error) {
      release()
      throw error
    }
    const socket = c.env.incoming.socket
    socket.write(responseHead(c.req.header('origin')))
    takeOver(c.env.incoming, c.env.outgoing)
    await serve(ctx, hub, socket, c.var.key, session, lastEventId, release)
    return RESPONSE_ALREADY_SENT
  })

  return app
}

/**
 * Serves the stream once its head is out and the socket is taken over. A function of its own, given
 * only what the stream keeps: a closure made in the route handler would share the handler's scope,
 * and with it the request's Hono context, its request and response objects and headers (≈ 7 KiB a
 * stream), for as long as the stream is open.
 */
async function serve(
  ctx: RelayContext,
  hub: Hub,
  socket: Socket,
  key: KeyScope,
  session: string,
  lastEventId: number | null,
  release: () => void,
): Promise<void> {
  let client: StreamClient | undefined
  // One listener for what the stream holds until its socket closes, however it ends: its place in
  // the caps, and its key's watch. Listened to after the takeover, which drops the listeners the
  // HTTP server had put on the socket.
  if (socket.destroyed) release()
  else
    socket.on('close', () => {
      release()
      if (client) ctx.streamKeys.unwatch(key.hash, client)
    })
  try {
    const opened = await hub.open(socket, key, session, lastEventId)
    // Authenticated once, here: the stream ends when its key does (a rotation's grace is over),
    // and the browser's reconnect must bring a key that works.
    if (!opened.closed) {
      client = opened
      ctx.streamKeys.watch(key, opened)
    }
  } catch (error) {
    // The head is out, so no error body can follow; the browser reconnects and replays.
    ctx.log.error('stream replay failed', { session, error: String(error) })
  }
}

/** Seconds a refused stream is told to wait: streams free up as people leave, not on a clock. */
const STREAM_RETRY_AFTER_S = 5

/** Counts the stream against its key's and its address's caps; 429 with `Retry-After` when either is full. */
function admitStream(
  caps: StreamCaps,
  keyHash: string,
  address: string,
  header: (name: string, value: string) => void,
): () => void {
  const admitted = caps.admit(keyHash, address)
  if (typeof admitted === 'function') return admitted
  header('retry-after', String(STREAM_RETRY_AFTER_S))
  const { who, max } =
    admitted === 'key'
      ? { who: 'This publishable key', max: caps.limits.perKey }
      : { who: 'This address', max: caps.limits.perAddress }
  throw new HttpError(
    429,
    'too_many_streams',
    `${who} already holds ${max} open streams, the most the relay allows; close one (another tab) or retry in ${STREAM_RETRY_AFTER_S} s.`,
    { retryAfterSeconds: STREAM_RETRY_AFTER_S, limit: 'streams', per: admitted, max },
  )
}

/** Only whoever claimed the session reads it: 401 without its token, 403 with a key of the other environment. */
async function requireToken(
  ctx: RelayContext,
  scope: KeyScope,
  session: string,
  token: string | undefined,
): Promise<void> {
  const check = await ctx.sessions.check(scope, session, token)
  if (check === 'ok') return
  if (check === 'missing') {
    throw new HttpError(
      401,
      'missing_token',
      'Send the session\'s token as "?token=…": claim the session with POST /v1/sessions to get one.',
    )
  }
  if (check === 'other_environment') {
    throw new HttpError(
      403,
      'environment_mismatch',
      `Session ${session} belongs to the project's other environment; use the key it was claimed with.`,
    )
  }
  throw new HttpError(
    401,
    'invalid_token',
    `This token is not the token of session ${session}; claim a session with POST /v1/sessions and use its token.`,
  )
}

function parseLastEventId(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null
  if (!/^\d{1,15}$/.test(text.trim())) {
    throw new HttpError(
      400,
      'invalid_last_event_id',
      `Last-Event-ID must be the id of a frame this relay sent (a whole number), not "${text.slice(0, 40)}"; omit it to start fresh.`,
    )
  }
  return Number(text.trim())
}

/** The response head. `browserAccess` has already refused origins the project does not allow. */
function responseHead(origin: string | undefined): string {
  const cors =
    origin && /^[\x21-\x7e]+$/.test(origin) ? `access-control-allow-origin: ${origin}\r\nvary: Origin\r\n` : ''
  return (
    'HTTP/1.1 200 OK\r\n' +
    'content-type: text/event-stream; charset=utf-8\r\n' +
    'cache-control: no-cache, no-transform\r\n' +
    'connection: close\r\n' +
    'x-accel-buffering: no\r\n' +
    cors +
    '\r\n'
  )
}
