import { channelName, type Notifications } from './notifications.ts'

/**
 * What relay nodes sharing one PostgreSQL tell each other: new deliveries are due (so every
 * dispatcher looks now rather than at its next poll), and a project or its webhooks changed (so no
 * node keeps a stale copy). One SQLite node has nobody to tell.
 */
export interface ClusterSignal {
  deliveriesDue(): void
  webhooksChanged(projectId: string): void
  /** Its origins, keys or config changed, or it was deleted. */
  projectChanged(projectId: string): void
  close(): Promise<void>
}

export const singleNode: ClusterSignal = {
  deliveriesDue: () => {},
  webhooksChanged: () => {},
  projectChanged: () => {},
  close: () => Promise.resolve(),
}

/** What a node does when another one tells it something. */
export interface ClusterHandlers {
  deliveriesDue(): void
  webhooksChanged(projectId: string): void
  projectChanged(projectId: string): void
}

// Ingest commits hundreds of times a second; one notification per few milliseconds is enough.
const DUE_COALESCE_MS = 5

/** The signal on the node's LISTEN connection, on a channel per schema; a node ignores its own notifications. */
export async function postgresCluster(
  notifications: Notifications,
  schema: string | null,
  handlers: ClusterHandlers,
): Promise<ClusterSignal> {
  const channel = channelName('hookline_queue', schema)
  const node = Math.random().toString(36).slice(2)
  await notifications.listen(channel, (payload) => {
    const [sender, kind, projectId] = payload.split(' ')
    if (sender === node) return
    if (kind === 'due') handlers.deliveriesDue()
    else if (kind === 'webhooks' && projectId) handlers.webhooksChanged(projectId)
    else if (kind === 'project' && projectId) handlers.projectChanged(projectId)
  })

  const send = (payload: string) => {
    notifications.notify(channel, `${node} ${payload}`)
  }
  let dueTimer: NodeJS.Timeout | undefined
  return {
    deliveriesDue() {
      dueTimer ??= setTimeout(() => {
        dueTimer = undefined
        send('due')
      }, DUE_COALESCE_MS)
    },
    webhooksChanged: (projectId) => {
      send(`webhooks ${projectId}`)
    },
    projectChanged: (projectId) => {
      send(`project ${projectId}`)
    },
    close() {
      clearTimeout(dueTimer)
      return Promise.resolve()
    },
  }
}
