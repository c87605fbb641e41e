import { Hono, type Context } from 'hono'
import { isId, verify, type VarsFrame } from '@hookline/protocol'
import { requireHub, type RelayContext } from '../context.ts'
import type { RelayEnv } from '../http/env.ts'
import { HttpError } from '../http/errors.ts'
import { clientAddress, refuseWhenOver } from '../http/middleware/rate-limit/index.ts'
import { findListener, type Listener } from '../storage/listeners.ts'
import { parseInboundJson, readInboundBody } from './body.ts'
import { mapInbound } from './mapping.ts'

const MAX_WEBHOOK_ID = 256

type Answer = { status: 200 | 202; body: Record<string, unknown> }

/**
 * `POST /v1/inbound/:listenerId`: an external system talks back to running prototypes. The request
 * is verified by the Standard Webhooks scheme with the listener's secret, mapped to variables, and
 * committed (receipt and frame in one transaction) before the 202; only then is the frame pushed
 * to the open streams. A `webhook-id` seen before answers 200 `{duplicate:true}` and does nothing.
 * Each client address and each listener has a token bucket (`HOOKLINE_INBOUND_RATE_LIMIT`); over
 * either, 429 with `Retry-After`, before anything is read or stored.
 */
export function inboundRoutes(ctx: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  const { metrics } = ctx

  app.post('/v1/inbound/:listenerId', async (c) => {
    const receivedAt = performance.now()
    // Both buckets are taken before the body is read or the signature checked: those are the cost.
    const { perAddress, perListener } = ctx.inboundLimiter
    refuseWhenOver(c, perAddress.take(clientAddress(c)), 'inbound', 'Too many inbound webhooks from this address')
    const listenerId = c.req.param('listenerId')
    const listener = isId(listenerId, 'lst') ? await ctx.listeners.get(listenerId) : undefined
    if (!listener) throw listenerNotFound(listenerId)
    const project = listener.projectId
    refuseWhenOver(c, perListener.take(listener.id), 'inbound', 'Too many inbound webhooks for this listener')
    try {
      const answer = await receive(ctx, c, listener, performance.timeOrigin + receivedAt)
      metrics.inbound.inc({ project, outcome: answer.status === 202 ? 'accepted' : 'duplicate' })
      if (answer.status === 202)
        metrics.inboundToFrameSeconds.observe({ project }, (performance.now() - receivedAt) / 1000)
      return c.json(answer.body, answer.status)
    } catch (error) {
      metrics.inbound.inc({ project, outcome: error instanceof HttpError ? error.code : 'internal_error' })
      throw error
    }
  })

  return app
}

/** Verifies, maps and commits one webhook and publishes its frame; answers what to reply. */
async function receive(
  ctx: RelayContext,
  c: Context<RelayEnv>,
  listener: Listener,
  receivedAtMs: number,
): Promise<Answer> {
  const hub = requireHub(ctx)
  // Undefined under `app.request()`, which passes no Node request.
  const incoming = (c.env as Partial<RelayEnv['Bindings']> | undefined)?.incoming
  const bytes = await readInboundBody(c.req.raw, incoming)
  const webhookId = await verifiedId(c, listener, incoming?.headers ?? c.req.raw.headers, bytes)
  const effect = mapInbound(listener, parseInboundJson(bytes))
  const frame: VarsFrame = { set: effect.set, source: { kind: 'inbound', id: listener.id } }
  const seq = await ctx.inboundWriter
    .commit({
      listenerId: listener.id,
      projectId: listener.projectId,
      webhookId,
      session: effect.session,
      environment: listener.environment,
      data: frame,
    })
    .catch(async (error: unknown) => {
      // The cache may still hold a listener deleted a moment ago (with its project, on another node).
      ctx.listeners.forget(listener.id)
      throw (await findListener(ctx.db, ctx.secrets, listener.id)) ? error : listenerNotFound(listener.id)
    })
  if (seq === null) return { status: 200, body: { duplicate: true, id: webhookId } }
  hub.publishVars(listener.projectId, effect.session, listener.environment, seq, frame, receivedAtMs)
  const target = effect.session === null ? 'broadcast' : { session: effect.session }
  return {
    status: 202,
    body: { accepted: true, id: webhookId, seq, target, set: effect.set, missing: effect.missing },
  }
}

/** The `webhook-id` of a request that passed the listener's signature check (when it checks); 401 otherwise. */
async function verifiedId(
  c: Context<RelayEnv>,
  listener: Listener,
  headers: Parameters<typeof verify>[1],
  bytes: Uint8Array,
): Promise<string | null> {
  let webhookId = c.req.header('webhook-id') || null
  if (listener.verify) {
    const result = await verify(listener.secret, headers, bytes)
    if (!result.ok) throw new HttpError(401, result.reason, result.message, { reason: result.reason })
    webhookId = result.id
  }
  if (webhookId !== null && webhookId.length > MAX_WEBHOOK_ID) {
    throw new HttpError(400, 'invalid_webhook_id', `The webhook-id header is longer than ${MAX_WEBHOOK_ID} characters.`)
  }
  return webhookId
}

function listenerNotFound(id: string): HttpError {
  return new HttpError(
    404,
    'listener_not_found',
    `No listener ${id.slice(0, 64)}: post to the URL the relay gave when the listener was created (/v1/inbound/lst_…).`,
  )
}
