import type { Kysely } from 'kysely'
import type { Environment, Json, WebhookFilter } from '@hookline/protocol'
import { drainOnResume } from './drains.ts'
import type { Database, WebhookStatus, WebhooksTable } from './schema.ts'
import { secretPlace, type SecretBox } from './secret-box.ts'

/** A webhook as the relay works with it (JSON columns parsed). */
export interface Webhook {
  id: string
  projectId: string
  name: string
  url: string
  events: string[]
  environment: Environment
  template: Json | null
  timeoutMs: number
  retry: { maxAttempts: number; scheduleMs: number[] | null }
  response: { set: Record<string, string> } | null
  status: WebhookStatus
  statusReason: string | null
  consecutiveFailures: number
  secret: string
  previousSecret: string | null
  previousSecretExpiresAt: number | null
  /** Query over the outgoing envelope; null lets every subscribed event through. */
  filter: WebhookFilter | null
  /** Recovery probing while paused by failures: `true` on the default schedule, `false` none. */
  autoResume: AutoResume
  /** Who paused it (`hand`: no probing), or null unless paused. */
  pausedBy: PausedBy | null
  /** When the next recovery probe is due, or null. */
  nextProbeAt: number | null
  /** Probes tried since the pause. */
  probeStep: number
  /** `session`: one delivery of each (webhook, session) lane at a time, in event order; `none`: no order. */
  ordering: Ordering
  createdAt: number
  updatedAt: number
}

export type AutoResume = boolean | { scheduleMs: number[] }
export type PausedBy = 'hand' | 'failures'
export type Ordering = 'none' | 'session'

/** A stored row as a webhook; its secrets are opened (they are stored sealed, see `secret-box.ts`). */
export function toWebhook(row: WebhooksTable, secrets: SecretBox): Webhook {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    environment: row.environment,
    template: row.template === null ? null : (JSON.parse(row.template) as Json),
    timeoutMs: row.timeout_ms,
    retry: {
      maxAttempts: row.max_attempts,
      scheduleMs: row.schedule_ms === null ? null : (JSON.parse(row.schedule_ms) as number[]),
    },
    response: row.response === null ? null : (JSON.parse(row.response) as Webhook['response']),
    status: row.status,
    statusReason: row.status_reason,
    consecutiveFailures: row.consecutive_failures,
    secret: secrets.open(row.secret, secretPlace('webhooks', 'secret', row.id)),
    previousSecret:
      row.previous_secret === null
        ? null
        : secrets.open(row.previous_secret, secretPlace('webhooks', 'previous_secret', row.id)),
    previousSecretExpiresAt: row.previous_secret_expires_at,
    filter: row.filter === null ? null : (JSON.parse(row.filter) as WebhookFilter),
    autoResume: row.auto_resume === null ? true : (JSON.parse(row.auto_resume) as AutoResume),
    pausedBy: row.paused_by as PausedBy | null,
    nextProbeAt: row.next_probe_at,
    probeStep: row.probe_step,
    ordering: row.ordering,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The stored row; its drain (`drains.ts`) is the store's own, written only with the status. */
function toRow(webhook: Webhook, secrets: SecretBox): Omit<WebhooksTable, 'drain_until'> {
  return {
    id: webhook.id,
    project_id: webhook.projectId,
    name: webhook.name,
    url: webhook.url,
    events: JSON.stringify(webhook.events),
    environment: webhook.environment,
    template: webhook.template === null ? null : JSON.stringify(webhook.template),
    timeout_ms: webhook.timeoutMs,
    max_attempts: webhook.retry.maxAttempts,
    schedule_ms: webhook.retry.scheduleMs === null ? null : JSON.stringify(webhook.retry.scheduleMs),
    response: webhook.response === null ? null : JSON.stringify(webhook.response),
    status: webhook.status,
    status_reason: webhook.statusReason,
    consecutive_failures: webhook.consecutiveFailures,
    secret: secrets.seal(webhook.secret, secretPlace('webhooks', 'secret', webhook.id)),
    previous_secret:
      webhook.previousSecret === null
        ? null
        : secrets.seal(webhook.previousSecret, secretPlace('webhooks', 'previous_secret', webhook.id)),
    previous_secret_expires_at: webhook.previousSecretExpiresAt,
    filter: webhook.filter === null ? null : JSON.stringify(webhook.filter),
    auto_resume: webhook.autoResume === true ? null : JSON.stringify(webhook.autoResume),
    paused_by: webhook.pausedBy,
    next_probe_at: webhook.nextProbeAt,
    probe_step: webhook.probeStep,
    ordering: webhook.ordering,
    created_at: webhook.createdAt,
    updated_at: webhook.updatedAt,
  }
}

export async function insertWebhook(db: Kysely<Database>, secrets: SecretBox, webhook: Webhook): Promise<void> {
  await db.insertInto('webhooks').values(toRow(webhook, secrets)).execute()
}

/** Writes every field of the webhook back. */
export async function saveWebhook(db: Kysely<Database>, secrets: SecretBox, webhook: Webhook): Promise<void> {
  // The owner and the creation time never change.
  const { id, project_id: _projectId, created_at: _createdAt, ...values } = toRow(webhook, secrets)
  await db
    .updateTable('webhooks')
    .set({ ...values, drain_until: drainOnResume(values.status, values.updated_at) })
    .where('id', '=', id)
    .execute()
}

/**
 * Writes a webhook's status with its recovery state (who paused it, the next probe), and ends its
 * run of failures when it becomes active; with `from`, only if it still has that status (false
 * when another node changed it first). Becoming active from another status starts a drain in the
 * same statement.
 */
export async function setWebhookStatus(
  db: Kysely<Database>,
  webhook: Pick<
    Webhook,
    'id' | 'status' | 'statusReason' | 'consecutiveFailures' | 'pausedBy' | 'nextProbeAt' | 'probeStep' | 'updatedAt'
  >,
  from?: WebhookStatus,
): Promise<boolean> {
  let update = db
    .updateTable('webhooks')
    .set({
      status: webhook.status,
      status_reason: webhook.statusReason,
      // The run of failures is the attempt log's to add up (`attempt-results.ts`), every node's
      // together; a status change only ends it. Writing this node's count here would add its
      // unwritten failures twice once its attempt log wrote them too.
      ...(webhook.status === 'active' && { consecutive_failures: 0 }),
      paused_by: webhook.pausedBy,
      next_probe_at: webhook.nextProbeAt,
      probe_step: webhook.probeStep,
      updated_at: webhook.updatedAt,
      // Active again: what was held drains in order on every node (`drains.ts`).
      drain_until: drainOnResume(webhook.status, webhook.updatedAt),
    })
    .where('id', '=', webhook.id)
  if (from) update = update.where('status', '=', from)
  const result = await update.executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The stored runs of consecutive failures of these webhooks (every node's attempts added up). */
export async function failureCounts(db: Kysely<Database>, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('webhooks').select(['id', 'consecutive_failures']).where('id', 'in', ids).execute()
  return new Map(rows.map((row) => [row.id, row.consecutive_failures]))
}

export async function listWebhooks(db: Kysely<Database>, secrets: SecretBox, projectId: string): Promise<Webhook[]> {
  const rows = await db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId).orderBy('id').execute()
  return rows.map((row) => toWebhook(row, secrets))
}

export async function findWebhook(db: Kysely<Database>, secrets: SecretBox, id: string): Promise<Webhook | undefined> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toWebhook(row, secrets)
}

/** Deletes a webhook with its deliveries and their attempts. */
export async function deleteWebhook(db: Kysely<Database>, projectId: string, id: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    // Nothing is deleted unless the webhook is this project's: a caller naming another project's
    // webhook must not take its deliveries with it.
    const owned = await tx
      .selectFrom('webhooks')
      .select('id')
      .where('id', '=', id)
      .where('project_id', '=', projectId)
      .executeTakeFirst()
    if (!owned) return false
    await tx.deleteFrom('attempts').where('webhook_id', '=', id).execute()
    await tx.deleteFrom('delivery_queue').where('webhook_id', '=', id).execute()
    await tx.deleteFrom('deliveries').where('webhook_id', '=', id).execute()
    const result = await tx
      .deleteFrom('webhooks')
      .where('id', '=', id)
      .where('project_id', '=', projectId)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  })
}
