import type { ClusterSignal } from '../cluster/signal.ts'
import type { StreamKeyEnds } from '../stream/key-ends.ts'
import type { KeyResolver } from './keys.ts'
import type { ProjectConfigs } from './project-configs.ts'
import type { SessionTokens } from './sessions.ts'
import type { WebhookRegistry } from './webhook-registry.ts'

/** Every copy of a project's rows this node keeps in memory. */
export interface ProjectCaches {
  keys: KeyResolver
  configs: ProjectConfigs
  webhooks: WebhookRegistry
  sessions: SessionTokens
  /** Not a cache, but read from the same rows: the open streams of a key that stopped working end. */
  streamKeys: StreamKeyEnds
}

/**
 * The one list of what to drop after a project's keys, origins, config or webhooks changed, or it
 * was deleted, whichever node made the change. A cache added for project data is added here.
 */
export function dropProjectCaches(
  { keys, configs, webhooks, sessions, streamKeys }: ProjectCaches,
  projectId: string,
): void {
  keys.invalidate()
  sessions.invalidate()
  configs.forget(projectId)
  webhooks.dropCached(projectId)
  void streamKeys.recheck(projectId)
}

/** A change made on this node: its copies go now, and the other nodes are told to drop theirs. */
export function projectChanged(caches: ProjectCaches & { cluster: ClusterSignal }, projectId: string): void {
  dropProjectCaches(caches, projectId)
  caches.cluster.projectChanged(projectId)
}
