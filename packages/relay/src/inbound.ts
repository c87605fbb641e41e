import { Hono, type Context } from 'hono'
import { isId, verify, type VarsFrame } from '@hookline/protocol'
import { HttpError } from './errors.ts'
import type { RelayContext, RelayEnv } from './context.ts'
import { hubOf } from './hub.ts'
import { parseInboundJson, readInboundBody } from './inbound-body.ts'
import { mapInbound } from './inbound-mapping.ts'
import { listenerCache } from './listener-cache.ts'
import { InboundCommits } from './storage/inbound-commits.ts'
import { findListener, type Listener } from './storage/listeners.ts'
import { streamMetrics } from './stream-metrics.ts'

const MAX_WEBHOOK_ID = 256

/**
 * `POST /v1/inbound/:listenerId`: an external system talks back to running prototypes. The request
 * is verified by the Standard Webhooks scheme with the listener's secret, mapped to variables, and
 * committed (receipt and frame in one transaction) before the 202; only then is the frame pushed
 * to the open streams. A `webhook-id` seen before answers 200 `{duplicate:true}` and does nothing.
 */
export function inboundRoutes({ db, frames, metrics }: RelayContext): Hono<RelayEnv> {
  const app = new Hono<RelayEnv>()
  const listeners = listenerCache(db)
  const commits = new InboundCommits(db)
  const counters = streamMetrics(metrics.registry)

  app.post('/v1/inbound/:listenerId', async (c) => {
    const receivedAt = performance.now()
    const listenerId = c.req.param('listenerId')
    const listener = isId(listenerId, 'lst') ? await listeners.get(listenerId) : undefined
    if (!listener) throw listenerNotFound(listenerId)
    try {
      const answer = await receive(c, listener, performance.timeOrigin + receivedAt)
      counters.inbound.inc({ project: listener.projectId, outcome: answer.status === 202 ? 'accepted' : 'duplicate' })
      if (answer.status === 202)
        counters.inboundToFrameSeconds.observe({ project: listener.projectId }, (performance.now() - receivedAt) / 1000)
      return c.json(answer.body, answer.status)
    } catch (error) {
      counters.inbound.inc({
        project: listener.projectId,
        outcome: error instanceof HttpError ? error.code : 'internal_error',
      })
      throw error
    }
  })

  /** Verifies, maps and commits one webhook and publishes its frame; answers what to reply. */
  async function receive(
    c: Context<RelayEnv>,
    listener: Listener,
    receivedAtMs: number,
  ): Promise<{ status: 200 | 202; body: Record<string, unknown> }> {
    const hub = hubOf(frames)
    const incoming = c.env?.incoming
    const bytes = await readInboundBody(c.req.raw, incoming)
    let webhookId = c.req.header('webhook-id') || null
    if (listener.verify) {
      const result = await verify(listener.secret, incoming?.headers ?? c.req.raw.headers, bytes)
      if (!result.ok) throw new HttpError(401, result.reason, result.message, { reason: result.reason })
      webhookId = result.id
    }
    if (webhookId !== null && webhookId.length > MAX_WEBHOOK_ID) {
      throw new HttpError(
        400,
        'invalid_webhook_id',
        `The webhook-id header is longer than ${MAX_WEBHOOK_ID} characters.`,
      )
    }
    const effect = mapInbound(listener, parseInboundJson(bytes))
    const frame: VarsFrame = { set: effect.set, source: { kind: 'inbound', id: listener.id } }
    const seq = await commits
      .commit({
        listenerId: listener.id,
        projectId: listener.projectId,
        webhookId,
        session: effect.session,
        data: frame,
      })
      .catch(async (error) => {
        // The cache may still hold a listener deleted a moment ago (with its project, on another node).
        listeners.forget(listener.id)
        throw (await findListener(db, listener.id)) ? error : listenerNotFound(listener.id)
      })
    if (seq === null) return { status: 200, body: { duplicate: true, id: webhookId } }
    hub.publishVars(listener.projectId, effect.session, seq, frame, receivedAtMs)
    const target = effect.session === null ? 'broadcast' : { session: effect.session }
    return {
      status: 202,
      body: { accepted: true, id: webhookId, seq, target, set: effect.set, missing: effect.missing },
    }
  }

  return app
}

function listenerNotFound(id: string): HttpError {
  return new HttpError(
    404,
    'listener_not_found',
    `No listener ${id.slice(0, 64)}: post to the URL the relay gave when the listener was created (/v1/inbound/lst_…).`,
  )
}
