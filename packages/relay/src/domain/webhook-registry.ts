import type { Kysely } from 'kysely'
import type { Environment } from '@hookline/protocol'
import type { Database } from '../storage/schema.ts'
import type { SecretBox } from '../storage/secret-box.ts'
import { findWebhook, listWebhooks, setWebhookStatus, type PausedBy, type Webhook } from '../storage/webhooks.ts'

/**
 * The webhooks in memory: ingest looks up a project's subscribers for every batch and the
 * dispatcher its webhook for every attempt, so neither should hit the database for them.
 * Every change goes through here (or is followed by `forget`), which keeps the copy true.
 */
export class WebhookRegistry {
  #byProject = new Map<string, Promise<Webhook[]>>()
  #byId = new Map<string, Webhook>()

  /** Called after a local change, to tell other relay nodes (see `cluster/signal.ts`). */
  onChange: (projectId: string) => void = () => {}

  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  /** The webhooks of a project. */
  forProject(projectId: string): Promise<Webhook[]> {
    let list = this.#byProject.get(projectId)
    if (!list) {
      list = listWebhooks(this.db, this.secrets, projectId).then((webhooks) => {
        for (const webhook of webhooks) this.#byId.set(webhook.id, webhook)
        return webhooks
      })
      list.catch(() => this.#byProject.delete(projectId))
      this.#byProject.set(projectId, list)
    }
    return list
  }

  /** The webhooks that take new events of this environment (paused ones hold them; disabled ones take none). */
  async subscribers(projectId: string, environment: Environment): Promise<Webhook[]> {
    return (await this.forProject(projectId)).filter(
      (webhook) => webhook.environment === environment && webhook.status !== 'disabled',
    )
  }

  async get(id: string): Promise<Webhook | undefined> {
    const known = this.#byId.get(id)
    if (known) return known
    const webhook = await findWebhook(this.db, this.secrets, id)
    if (webhook) this.#byId.set(id, webhook)
    return webhook
  }

  /** Drops what is cached about a project's webhooks (after a create, update or delete). */
  forget(projectId: string): void {
    this.dropCached(projectId)
    this.onChange(projectId)
  }

  /** Drops the cached copy only (another node made the change and told everyone). */
  dropCached(projectId: string): void {
    this.#byProject.delete(projectId)
    for (const [id, webhook] of this.#byId) if (webhook.projectId === projectId) this.#byId.delete(id)
  }

  /**
   * Changes a webhook's status in the store and here, at once. A pause says who paused it
   * (`failures` are probed from `nextProbeAt` on; `hand` never); any other status clears that.
   * With `from`, only if the stored webhook still has that status: false when another node changed
   * it first (this copy is then dropped, and read afresh when next asked for).
   */
  async setStatus(
    webhook: Webhook,
    status: Webhook['status'],
    reason: string | null,
    pause: { by: PausedBy; nextProbeAt: number | null } | null = null,
    from?: Webhook['status'],
  ): Promise<boolean> {
    webhook.status = status
    webhook.statusReason = reason
    webhook.updatedAt = Date.now()
    if (status === 'active') webhook.consecutiveFailures = 0
    webhook.pausedBy = status === 'paused' ? (pause?.by ?? 'hand') : null
    webhook.nextProbeAt = status === 'paused' ? (pause?.nextProbeAt ?? null) : null
    webhook.probeStep = 0
    if (!(await setWebhookStatus(this.db, webhook, from))) {
      this.dropCached(webhook.projectId)
      return false
    }
    this.onChange(webhook.projectId)
    return true
  }
}
