import { userInfo } from 'node:os'
import pg from 'pg'

/**
 * What relay nodes sharing one PostgreSQL tell each other, by LISTEN/NOTIFY: new deliveries are
 * due (so every dispatcher looks now rather than at its next poll), and a project or its webhooks
 * changed (so no node keeps a stale copy). One SQLite node has nobody to tell.
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
  close: async () => {},
}

export interface ClusterHandlers {
  deliveriesDue(): void
  webhooksChanged(projectId: string): void
  projectChanged(projectId: string): void
}

// Ingest commits hundreds of times a second; one notification per few milliseconds is enough.
const DUE_COALESCE_MS = 5

/** LISTEN/NOTIFY on a channel per schema; a node ignores its own notifications. */
export async function postgresCluster(url: string, handlers: ClusterHandlers): Promise<ClusterSignal> {
  const parsed = new URL(url)
  const schema = parsed.searchParams.get('schema') ?? 'public'
  parsed.searchParams.delete('schema')
  if (!parsed.username) parsed.username = encodeURIComponent(process.env.PGUSER ?? userInfo().username)
  const channel = `hookline_queue_${schema}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63)
  const node = Math.random().toString(36).slice(2)

  const client = new pg.Client({ connectionString: parsed.toString() })
  await client.connect()
  // Losing this connection only slows other nodes down to their polling; it must not stop the relay.
  client.on('error', () => {})
  client.on('notification', ({ channel: from, payload }) => {
    if (from !== channel || !payload) return
    const [sender, kind, projectId] = payload.split(' ')
    if (sender === node) return
    if (kind === 'due') handlers.deliveriesDue()
    else if (kind === 'webhooks' && projectId) handlers.webhooksChanged(projectId)
    else if (kind === 'project' && projectId) handlers.projectChanged(projectId)
  })
  await client.query(`LISTEN "${channel}"`)

  const send = (payload: string) =>
    void client.query('SELECT pg_notify($1, $2)', [channel, `${node} ${payload}`]).catch(() => {})
  let dueTimer: NodeJS.Timeout | undefined
  return {
    deliveriesDue() {
      dueTimer ??= setTimeout(() => {
        dueTimer = undefined
        send('due')
      }, DUE_COALESCE_MS)
    },
    webhooksChanged: (projectId) => send(`webhooks ${projectId}`),
    projectChanged: (projectId) => send(`project ${projectId}`),
    async close() {
      clearTimeout(dueTimer)
      await client.end().catch(() => {})
    },
  }
}
