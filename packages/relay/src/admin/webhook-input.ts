import type * as v from 'valibot'
import {
  generateSecret,
  newId,
  WEBHOOK_RETRY,
  WEBHOOK_TIMEOUT_MS,
  type WebhookCreateSchema,
  type WebhookPatchSchema,
} from '@hookline/protocol'
import type { Webhook } from '../storage/webhooks.ts'

// The body schemas live in @hookline/protocol; here, what a valid body does to a stored webhook.
type WebhookCreate = v.InferOutput<typeof WebhookCreateSchema>
type WebhookPatch = v.InferOutput<typeof WebhookPatchSchema>

/**
 * A new webhook of the project from a create body, with a fresh secret and the defaults docs/api.md
 * gives, taken from @hookline/protocol so that the relay and the dashboard's form cannot drift apart.
 */
export function newWebhook(projectId: string, body: WebhookCreate, now = Date.now()): Webhook {
  const disabled = body.enabled === false
  return {
    id: newId('wh'),
    projectId,
    name: body.name,
    url: body.url,
    events: body.events,
    environment: body.environment ?? 'test',
    template: body.template ?? null,
    timeoutMs: body.timeoutMs ?? WEBHOOK_TIMEOUT_MS.default,
    retry: {
      maxAttempts: body.retry?.maxAttempts ?? WEBHOOK_RETRY.maxAttempts.default,
      scheduleMs: body.retry?.scheduleMs ?? null,
    },
    response: body.response ?? null,
    status: disabled ? 'disabled' : 'active',
    statusReason: disabled ? 'Disabled by hand.' : null,
    consecutiveFailures: 0,
    secret: generateSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    filter: body.filter ?? null,
    autoResume: body.autoResume ?? true,
    pausedBy: null,
    nextProbeAt: null,
    probeStep: 0,
    ordering: body.ordering ?? 'none',
    createdAt: now,
    updatedAt: now,
  }
}

/** The webhook after a patch: fields left out keep their value; `enabled` moves between disabled and active. */
export function patchedWebhook(webhook: Webhook, body: WebhookPatch, now = Date.now()): Webhook {
  const next: Webhook = { ...webhook, updatedAt: now }
  if (body.name !== undefined) next.name = body.name
  if (body.url !== undefined) next.url = body.url
  if (body.events !== undefined) next.events = body.events
  if (body.environment !== undefined) next.environment = body.environment
  if (body.template !== undefined) next.template = body.template
  if (body.timeoutMs !== undefined) next.timeoutMs = body.timeoutMs
  if (body.retry !== undefined)
    next.retry = {
      maxAttempts: body.retry.maxAttempts ?? webhook.retry.maxAttempts,
      scheduleMs: body.retry.scheduleMs === undefined ? webhook.retry.scheduleMs : body.retry.scheduleMs,
    }
  if (body.response !== undefined) next.response = body.response
  if (body.filter !== undefined) next.filter = body.filter
  if (body.autoResume !== undefined) next.autoResume = body.autoResume
  if (body.ordering !== undefined) next.ordering = body.ordering
  if (body.enabled !== undefined && (body.enabled ? webhook.status === 'disabled' : webhook.status !== 'disabled'))
    Object.assign(next, { pausedBy: null, nextProbeAt: null, probeStep: 0 })
  if (body.enabled === false && webhook.status !== 'disabled')
    Object.assign(next, { status: 'disabled', statusReason: 'Disabled by hand.' })
  if (body.enabled === true && webhook.status === 'disabled')
    Object.assign(next, { status: 'active', statusReason: null, consecutiveFailures: 0 })
  return next
}

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000

/** The webhook with a new secret; the old one keeps signing beside it for `ROTATION_OVERLAP_MS`. */
export function rotatedWebhook(webhook: Webhook, now = Date.now()): Webhook {
  return {
    ...webhook,
    secret: generateSecret(),
    previousSecret: webhook.secret,
    previousSecretExpiresAt: now + ROTATION_OVERLAP_MS,
    updatedAt: now,
  }
}
